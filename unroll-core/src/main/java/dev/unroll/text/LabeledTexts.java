package dev.unroll.text;

import dev.unroll.data.CsvReader;
import dev.unroll.data.DataFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Texts with one label each, read from a table: a {@code .csv} file (RFC 4180 quoting, through
 * {@link CsvReader}) or any other file as tab-separated values, where a tab ends a field and
 * nothing is quoted (texts keep their quotes). Blank lines are skipped; every problem — too few
 * columns, an empty text or label, invalid UTF-8 — is an error naming the file and the line.
 *
 * @param texts  the texts, in file order
 * @param labels their labels
 * @param lines  the 1-based line each came from (for messages)
 * @param file   where they came from
 */
public record LabeledTexts(List<String> texts, List<String> labels, int[] lines, Path file) {

    public LabeledTexts {
        texts = List.copyOf(texts);
        labels = List.copyOf(labels);
        if (texts.size() != labels.size() || lines.length != texts.size()) {
            throw new IllegalArgumentException("labeled texts: " + texts.size() + " texts, " + labels.size() + " labels, "
                    + lines.length + " lines");
        }
    }

    /** Column 0 text, column 1 label. */
    public static LabeledTexts read(Path file) throws IOException {
        return read(file, 0, 1);
    }

    /** The given columns (0-based) of every record of {@code file}. */
    public static LabeledTexts read(Path file, int textColumn, int labelColumn) throws IOException {
        if (textColumn < 0 || labelColumn < 0 || textColumn == labelColumn) {
            throw new IllegalArgumentException("text and label columns must be two different columns >= 0, got " + textColumn
                    + " and " + labelColumn);
        }
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int need = Math.max(textColumn, labelColumn) + 1;
        boolean csv = file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        if (csv) {
            try (CsvReader r = CsvReader.open(file, ',')) {
                for (List<String> f = r.next(); f != null; f = r.next()) {
                    add(file, r.line(), f, need, textColumn, labelColumn, "comma-separated", texts, labels, lines);
                }
            }
        } else {
            String all = TextFiles.read(file);
            int line = 0;
            int at = 0;
            while (at <= all.length()) {
                int end = all.indexOf('\n', at);
                if (end < 0) {
                    end = all.length();
                }
                line++;
                String record = all.substring(at, end > at && all.charAt(end - 1) == '\r' ? end - 1 : end);
                at = end + 1;
                if (!record.isBlank()) {
                    add(file, line, List.of(record.split("\t", -1)), need, textColumn, labelColumn, "tab-separated", texts, labels,
                            lines);
                }
            }
        }
        if (texts.isEmpty()) {
            throw new DataFileException(file, "no texts: every line is blank");
        }
        return new LabeledTexts(texts, labels, lines.stream().mapToInt(Integer::intValue).toArray(), file);
    }

    private static void add(Path file, int line, List<String> fields, int need, int textColumn, int labelColumn, String kind,
                            List<String> texts, List<String> labels, List<Integer> lines) throws DataFileException {
        if (fields.size() < need) {
            throw new DataFileException(file, line, "expected at least " + need + " " + kind + " columns (text in column "
                    + textColumn + ", label in column " + labelColumn + "), got " + fields.size());
        }
        String text = fields.get(textColumn);
        String label = fields.get(labelColumn).strip();
        if (text.isBlank()) {
            throw new DataFileException(file, line, "the text (column " + textColumn + ") is empty");
        }
        if (label.isEmpty()) {
            throw new DataFileException(file, line, "the label (column " + labelColumn + ") is empty");
        }
        texts.add(text);
        labels.add(label);
        lines.add(line);
    }

    public int size() {
        return texts.size();
    }

    /** The distinct labels, sorted (the classes of a classifier trained on these texts). */
    public List<String> distinctLabels() {
        return new ArrayList<>(new TreeSet<>(labels));
    }

    /**
     * Each text's class in {@code classes}; a label not among them (one training never saw) is an
     * error naming its line.
     */
    public int[] classes(List<String> classes) throws DataFileException {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = classes.indexOf(labels.get(i));
            if (out[i] < 0) {
                throw new DataFileException(file, lines[i], "label '" + CsvReader.excerpt(labels.get(i))
                        + "' was not seen in training; the model knows " + String.join(", ", classes.size() > 20
                        ? classes.subList(0, 20) : classes) + (classes.size() > 20 ? ", ..." : ""));
            }
        }
        return out;
    }
}
