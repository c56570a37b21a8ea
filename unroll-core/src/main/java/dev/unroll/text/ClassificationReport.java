package dev.unroll.text;

import java.util.List;
import java.util.Locale;

/**
 * How a classifier did on a labelled set: the confusion matrix ({@code confusion[true][predicted]}
 * counts), accuracy, and per class precision, recall and F1 (a class never predicted has precision
 * 0; one never present has recall 0), with their unweighted (macro) means.
 */
public record ClassificationReport(long[][] confusion) {

    public ClassificationReport {
        for (long[] row : confusion) {
            if (row.length != confusion.length) {
                throw new IllegalArgumentException("confusion matrix must be square");
            }
        }
    }

    /** The report of predictions against the truth, over {@code classes} classes. */
    public static ClassificationReport of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length + " predictions");
        }
        long[][] m = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return new ClassificationReport(m);
    }

    public int classes() {
        return confusion.length;
    }

    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public double accuracy() {
        long right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        long n = total();
        return n == 0 ? Double.NaN : (double) right / n;
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        long present = 0;
        for (long v : confusion[c]) {
            present += v;
        }
        return present == 0 ? 0 : (double) confusion[c][c] / present;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double s = 0;
        for (int c = 0; c < confusion.length; c++) {
            s += f1(c);
        }
        return s / confusion.length;
    }

    /** Per-class precision, recall, F1 and support, then the confusion matrix, as text tables. */
    public String format(List<String> labels) {
        if (labels.size() != confusion.length) {
            throw new IllegalArgumentException(labels.size() + " labels for " + confusion.length + " classes");
        }
        int w = 5;
        for (String l : labels) {
            w = Math.max(w, l.length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  precision  recall  f1      support%n", "class"));
        for (int c = 0; c < confusion.length; c++) {
            long support = 0;
            for (long v : confusion[c]) {
                support += v;
            }
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9.4f  %6.4f  %6.4f  %7d%n", labels.get(c), precision(c), recall(c),
                    f1(c), support));
        }
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  accuracy %.4f, macro F1 %.4f%n", "all", accuracy(), macroF1()));
        sb.append(String.format(Locale.ROOT, "confusion (rows: true, columns: predicted)%n%-" + w + "s", ""));
        int cw = 6;
        for (long[] row : confusion) {
            for (long v : row) {
                cw = Math.max(cw, String.valueOf(v).length() + 1);
            }
        }
        for (String l : labels) {
            sb.append(String.format(Locale.ROOT, " %" + cw + "s", l.length() > cw ? l.substring(0, cw) : l));
        }
        sb.append(String.format("%n"));
        for (int c = 0; c < confusion.length; c++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", labels.get(c)));
            for (long v : confusion[c]) {
                sb.append(String.format(Locale.ROOT, " %" + cw + "d", v));
            }
            sb.append(String.format("%n"));
        }
        return sb.toString();
    }
}
