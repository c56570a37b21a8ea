package dev.unroll.cli;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.text.ClassificationReport;
import dev.unroll.text.LabeledTexts;
import dev.unroll.text.TextClassifier;
import dev.unroll.text.TokenSequences;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code unroll classify --tsv FILE}: one label per text. The library does the work
 * ({@link TextClassifier}); this reads the tables, prints the epochs, the per-class table and the
 * confusion matrix, and saves the model with its vocabulary and labels.
 */
final class TextClassification {
    /** The {@code unroll.cli.task} of a text classifier. */
    static final String TASK = "text-classifier";

    private TextClassification() {
    }

    /** What the command line chose. */
    record Options(Path train, Path test, int textColumn, int labelColumn, VocabularyOptions vocabulary, int maxLength, TextClassifier.Settings settings, Path outDir, Path modelFile, Path report) {
    }

    static int run(Console console, Options o, Outputs outputs) throws IOException {
        long started = System.nanoTime();
        PrintWriter out = console.out();
        LabeledTexts train = LabeledTexts.read(o.train(), o.textColumn(), o.labelColumn());
        LabeledTexts test = o.test() == null ? null : LabeledTexts.read(o.test(), o.textColumn(), o.labelColumn());
        List<String> labels = train.distinctLabels();
        if (labels.size() < 2) {
            throw new IOException(o.train() + ": every text has the label '" + labels.get(0) + "'; classification needs at least 2");
        }
        Vocabulary vocabulary = o.vocabulary().build(train.texts(), Vocabulary.Level.CHAR);
        TextPreprocessing prep = new TextPreprocessing(vocabulary, labels);
        TokenSequences trainSeq = TokenSequences.encode(vocabulary, train.texts(), train.classes(labels), o.maxLength());
        TokenSequences testSeq = test == null ? null : TokenSequences.encode(vocabulary, test.texts(), test.classes(labels), o.maxLength());
        TextClassifier.Settings s = o.settings();
        Sequential model = TextClassifier.build(vocabulary.size(), vocabulary.pad() < 0 ? -1 : vocabulary.pad(), labels.size(), s);

        out.println("data: " + o.train() + ": " + Format.count(train.size()) + " texts" + (test == null ? ""
                : ", " + o.test() + ": " + Format.count(test.size()) + " texts") + ", " + labels.size() + " labels ("
                + String.join(", ", labels.size() > 12 ? labels.subList(0, 12) : labels) + (labels.size() > 12 ? ", ..." : "") + ")");
        out.println("vocabulary: " + vocabulary + ", texts cut to " + o.maxLength() + " tokens; " + Format.count(trainSeq.tokens())
                + " training tokens");
        out.println("model: " + model + ", " + Format.count(model.parameterCount()) + " parameters");
        out.println("training: " + s.epochs() + " epochs of batches of " + s.batch() + " (bucketed by length), Adam lr " + s.lr()
                + ", seed " + s.seed() + ", " + s.threads() + " threads");
        out.flush();
        String width = "%" + String.valueOf(s.epochs()).length() + "d";
        List<TextClassifier.Epoch> history = outputs.discardOnFailure(() -> TextClassifier.fit(model, trainSeq, testSeq, s, e -> {
            console.err().println(String.format(Locale.ROOT, "epoch " + width + "/%d  loss %s  train_accuracy %s  test_accuracy %s  %s",
                    e.epoch(), s.epochs(), Format.number(e.trainLoss()), Format.fraction(e.trainAccuracy()),
                    test == null ? "-" : Format.fraction(e.testAccuracy()), Format.seconds(e.seconds())));
            console.err().flush();
        }));
        Map<String, String> meta = new LinkedHashMap<>(prep.toMetadata());
        meta.put(SavedModel.TASK, TASK);
        SavedModel.save(model, o.modelFile(), meta);
        TextClassifier.Epoch last = history.get(history.size() - 1);
        double accuracy = last.trainAccuracy();
        String key = "train_accuracy";
        ClassificationReport report = null;
        if (testSeq != null) {
            report = TextClassifier.evaluate(model, testSeq, 256).report();
            out.print(report.format(labels));
            accuracy = report.accuracy();
            key = "test_accuracy";
        }
        double perEpoch = 0;
        for (TextClassifier.Epoch e : history) {
            perEpoch += e.seconds();
        }
        perEpoch /= history.size();
        out.println("seconds per epoch: " + Format.seconds(perEpoch));
        out.println("saved model: " + o.modelFile());
        if (testSeq != null) {
            Path curves = o.outDir().resolve("learning-curves.png");
            writeCurves(curves, String.valueOf(o.train().getFileName()), history);
            out.println("plot: " + curves);
        }
        if (o.report() != null) {
            writeReport(o, s, labels, vocabulary, history, report, started);
            out.println("report: " + o.report());
        }
        out.println(key + "=" + accuracy);
        return 0;
    }

    private static void writeReport(Options o, TextClassifier.Settings s, List<String> labels, Vocabulary vocabulary,
                                    List<TextClassifier.Epoch> history, ClassificationReport report, long started) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("train", o.train().toString());
        config.put("test", o.test() == null ? null : o.test().toString());
        config.put("labels", labels);
        config.put("vocabulary", vocabulary.level().id);
        config.put("vocabulary_size", vocabulary.size());
        config.put("cell", s.cell().id());
        config.put("embedding", s.embedding());
        config.put("units", s.hidden());
        config.put("layers", s.layers());
        config.put("batch", s.batch());
        config.put("epochs", s.epochs());
        config.put("learning_rate", s.lr());
        config.put("seed", s.seed());
        Map<String, Object> r = Report.of("classify", config, s.threads());
        List<Object> h = new ArrayList<>();
        for (TextClassifier.Epoch e : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("train_accuracy", e.trainAccuracy());
            m.put("test_loss", Double.isNaN(e.testLoss()) ? null : e.testLoss());
            m.put("test_accuracy", Double.isNaN(e.testAccuracy()) ? null : e.testAccuracy());
            m.put("seconds", e.seconds());
            h.add(m);
        }
        r.put("history", h);
        if (report != null) {
            Map<String, Object> fin = new LinkedHashMap<>();
            fin.put("test_accuracy", report.accuracy());
            fin.put("macro_f1", report.macroF1());
            List<Object> perClass = new ArrayList<>();
            for (int c = 0; c < labels.size(); c++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", labels.get(c));
                m.put("precision", report.precision(c));
                m.put("recall", report.recall(c));
                m.put("f1", report.f1(c));
                perClass.add(m);
            }
            fin.put("classes", perClass);
            List<Object> confusion = new ArrayList<>();
            for (long[] row : report.confusion()) {
                List<Object> rr = new ArrayList<>();
                for (long v : row) {
                    rr.add(v);
                }
                confusion.add(rr);
            }
            fin.put("confusion", confusion);
            r.put("final", fin);
        }
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("total_seconds", (System.nanoTime() - started) / 1e9);
        r.put("timings", timings);
        Report.write(o.report(), r);
    }

    private static void writeCurves(Path file, String title, List<TextClassifier.Epoch> history) throws IOException {
        int n = history.size();
        double[][] v = new double[5][n];
        for (int i = 0; i < n; i++) {
            TextClassifier.Epoch e = history.get(i);
            v[0][i] = e.epoch();
            v[1][i] = e.trainLoss();
            v[2][i] = e.testLoss();
            v[3][i] = e.trainAccuracy();
            v[4][i] = e.testAccuracy();
        }
        Outputs.writePng(file, Plots.learningCurves(title, v[0], v[1], v[2], v[3], v[4]));
    }

    /** The library's defaults where the command line did not choose. */
    static TextClassifier.Settings settings(CellType cell, Integer embedding, Integer units, int layers, Integer batch, int epochs,
                                            double lr, long seed, int threads) {
        TextClassifier.Settings d = TextClassifier.Settings.defaults();
        return new TextClassifier.Settings(cell != null ? cell : d.cell(), embedding != null ? embedding : d.embedding(),
                units != null ? units : d.hidden(), layers, batch != null ? batch : d.batch(), epochs, lr, seed, threads);
    }
}
