package dev.unroll.cli;

import dev.unroll.data.LabeledData;
import dev.unroll.data.MnistDataset;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code unroll classify}: seed §10. Each image is a sequence, one row per time step; a recurrent
 * layer reads it and a dense layer maps its final state to class scores.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a sequence classifier on MNIST-format images (seed section 10), or on labelled texts (--tsv).",
            "",
            "Each 28x28 image is read as 28 time steps of 28 pixels; a simple RNN of 150 tanh units reads it and a"
                + " dense layer maps its final state to the 10 class scores; softmax cross-entropy, Adam 0.001,"
                + " batches of 150, shuffled every epoch. (The seed trains 100 epochs; a few already give high"
                + " accuracy.)",
            "",
            "--data DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                + " t10k-labels-idx1-ubyte, each raw or .gz (MNIST digits, Fashion-MNIST, ...).",
            "",
            "Prints a line per epoch (loss, train and test accuracy, seconds); writes <out>/model.safetensors and"
                + " <out>/learning-curves.png. The last line printed is test_accuracy=<value>.",
            "",
            "--tsv FILE [--test FILE]: one label per text, from a tab-separated file (column 0 the text, column 1 the"
                + " label; a .csv file is read as comma-separated with quotes). A vocabulary (--vocabulary byte, char or"
                + " word) is built from the training texts and saved with the model with the labels; texts go through an"
                + " embedding (--embedding, default 32) and a recurrent layer (default: --cell gru, --units 128) whose state at"
                + " each text's end is mapped to the labels; batches of 64 texts of similar lengths. Prints precision, recall"
                + " and F1 per label and the confusion matrix on the test texts; a test label not seen in training is an"
                + " error naming its line.",
            ""})
final class ClassifyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory of the four MNIST-format IDX files (raw or .gz).")
    Path data;

    @Option(names = "--tsv", paramLabel = "FILE", description = "Labelled training texts (tab-separated; .csv: comma-separated).")
    Path tsv;

    @Option(names = "--test", paramLabel = "FILE", description = "Labelled test texts, as --tsv (with --tsv).")
    Path testTsv;

    @Option(names = "--text-column", paramLabel = "C", defaultValue = "0",
            description = "Column of the text, from 0 (default: ${DEFAULT-VALUE}; with --tsv).")
    int textColumn;

    @Option(names = "--label-column", paramLabel = "L", defaultValue = "1",
            description = "Column of the label, from 0 (default: ${DEFAULT-VALUE}; with --tsv).")
    int labelColumn;

    @Mixin
    VocabularyOptions vocabulary;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "400",
            description = "Texts are cut to their first N tokens (default: ${DEFAULT-VALUE}; with --tsv).")
    int maxLength;

    @Option(names = "--embedding", paramLabel = "N", defaultValue = "32",
            description = "Width of the token embedding (default: ${DEFAULT-VALUE}; with --tsv).")
    int embedding;

    @Option(names = "--units", paramLabel = "N", defaultValue = "150",
            description = "Units of each recurrent layer (default: ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--activation", paramLabel = "tanh|relu", converter = Converters.RnnActivation.class,
            description = "Activation of rnn cells (default: tanh, as the seed).")
    Activation activation;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "150",
            description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--train-size", paramLabel = "N",
            description = "Train on a random subset of N training images (default: all).")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N",
            description = "Test on a random subset of N test images (default: all).")
    Integer testSize;

    @Mixin
    TrainingOptions training;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/classify",
            description = "Directory for the model and the learning-curve plot (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        if ((data == null) == (tsv == null)) {
            throw Checks.usage(spec, "give either --data DIR (images) or --tsv FILE (texts)");
        }
        if (tsv != null) {
            return texts();
        }
        if (testTsv != null) {
            throw Checks.usage(spec, "--test goes with --tsv; --data DIR holds its own test images");
        }
        long started = System.nanoTime();
        validate();
        PrintWriter out = main.console().out();

        long loadStart = System.nanoTime();
        MnistDataset dataset = MnistDataset.load(data);
        Rng subsets = new Rng(training.seed ^ 0x3C6EF372FE94F82BL);
        LabeledData train = subset(dataset.train(), trainSize, "--train-size", "training", subsets);
        LabeledData test = subset(dataset.test(), testSize, "--test-size", "test", subsets);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        int rows = dataset.rows();
        int cols = dataset.cols();
        int classes = dataset.classes();
        if (classes < 2) {
            throw new IOException(data + ": every label is 0; classification needs at least 2 classes");
        }

        Rng init = new Rng(training.seed);
        Activation act = activation != null ? activation : Activation.TANH;
        Sequential model = Sequential.of(training.recurrent(cols, units, act, false, init), training.dense(units, classes, init));

        Outputs outputs = new Outputs();
        Path modelFile = training.prepareOutputs(outputs, outDir);

        out.println("data: " + data + ": " + Format.count(train.size()) + " training and " + Format.count(test.size())
                + " test images of " + rows + "x" + cols + " (" + rows + " steps of " + cols + " features), "
                + classes + " classes");
        out.println("model: " + model + ", " + Format.count(model.parameterCount()) + " parameters");
        out.println("training: " + epochs + " epochs of batches of " + batch + ", Adam lr " + training.lr + ", seed "
                + training.seed + ", " + training.threadCount() + " threads");

        String width = "%" + String.valueOf(epochs).length() + "d";
        ProgressReporter progress = new ProgressReporter(main.console(), ProgressReporter.Unit.EPOCHS,
                p -> String.format(Locale.ROOT, "epoch " + width + "/%d  loss %s  train_accuracy %s  test_accuracy %s  %s",
                        p.epoch(), epochs, Format.number(p.trainLoss()), Format.fraction(p.trainMetrics().get("accuracy")),
                        Format.fraction(p.validationMetrics().get("accuracy")), Format.seconds(p.seconds())));
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, training.lr))
                .batchSize(batch).epochs(epochs).seed(training.seed).threads(training.threadCount())
                .metrics(Metric.accuracy()).listener(progress).build();
        long trainStart = System.nanoTime();
        List<Progress> history;
        try (progress) {
            history = outputs.discardOnFailure(() -> trainer.fit(SequenceDataset.classification(train.inputs(), train.labels()),
                    SequenceDataset.classification(test.inputs(), test.labels())));
        }
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        Progress last = history.get(history.size() - 1);
        double testAccuracy = last.validationMetrics().get("accuracy");

        SavedModel.save(model, modelFile, Map.of(SavedModel.TASK, SavedModel.Task.CLASSIFIER.id));
        Path curves = outDir.resolve("learning-curves.png");
        writeCurves(curves, String.valueOf(data.toAbsolutePath().normalize().getFileName()), history);

        out.println("test accuracy: " + Format.fraction(testAccuracy) + " (" + Format.count(test.size()) + " images)");
        out.println("saved model: " + modelFile);
        out.println("plot: " + curves);
        if (training.report != null) {
            writeReport(history, testAccuracy, loadSeconds, trainSeconds, started, train.size(), test.size(), classes,
                    modelFile, curves);
            out.println("report: " + training.report);
        }
        out.println("test_accuracy=" + testAccuracy);
        return 0;
    }

    /** {@code --tsv}: text classification, with the text defaults for the options not given. */
    private int texts() throws Exception {
        validate();
        Checks.between(spec, "--text-column", textColumn, 0, 10_000);
        Checks.between(spec, "--label-column", labelColumn, 0, 10_000);
        if (textColumn == labelColumn) {
            throw Checks.usage(spec, "--text-column and --label-column are both " + textColumn);
        }
        vocabulary.validate(spec);
        Checks.between(spec, "--max-length", maxLength, 1, 1_000_000);
        Checks.between(spec, "--embedding", embedding, 1, 100_000);
        if (activation != null) {
            throw Checks.usage(spec, "--activation applies to image classification; text classifiers use --cell gru or lstm cells");
        }
        var parsed = spec.commandLine().getParseResult();
        var settings = TextClassification.settings(parsed.hasMatchedOption("--cell") ? training.cell : null, embedding,
                parsed.hasMatchedOption("--units") ? units : null, training.layers, parsed.hasMatchedOption("--batch") ? batch : null,
                epochs, training.lr, training.seed, training.threadCount());
        Outputs outputs = new Outputs();
        Path modelFile = training.prepareOutputs(outputs, outDir);
        return TextClassification.run(main.console(), new TextClassification.Options(tsv, testTsv, textColumn, labelColumn, vocabulary,
                maxLength, settings, outDir, modelFile, training.report), outputs);
    }

    private void validate() {
        Checks.atLeast(spec, "--units", units, 1);
        Checks.atLeast(spec, "--epochs", epochs, 1);
        Checks.atLeast(spec, "--batch", batch, 1);
        if (trainSize != null) {
            Checks.atLeast(spec, "--train-size", trainSize, 1);
        }
        if (testSize != null) {
            Checks.atLeast(spec, "--test-size", testSize, 1);
        }
        training.validate(spec, activation);
    }

    /**
     * A random subset of {@code size} examples (a file may be sorted by class, so the first ones would
     * not do), or all of them.
     */
    private LabeledData subset(LabeledData all, Integer size, String option, String split, Rng rng) {
        if (size == null) {
            return all;
        }
        if (size > all.size()) {
            throw Checks.usage(spec, option + " " + size + " is more than the " + all.size() + " " + split + " images in " + data);
        }
        return all.select(Arrays.copyOf(rng.permutation(all.size()), size));
    }

    private static void writeCurves(Path file, String title, List<Progress> history) throws IOException {
        int n = history.size();
        double[] epochs = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] testAcc = new double[n];
        for (int i = 0; i < n; i++) {
            Progress p = history.get(i);
            epochs[i] = p.epoch();
            trainLoss[i] = p.trainLoss();
            testLoss[i] = p.validationLoss();
            trainAcc[i] = p.trainMetrics().get("accuracy");
            testAcc[i] = p.validationMetrics().get("accuracy");
        }
        Outputs.writePng(file, Plots.learningCurves(title, epochs, trainLoss, testLoss, trainAcc, testAcc));
    }

    private void writeReport(List<Progress> history, double testAccuracy, double loadSeconds, double trainSeconds, long started,
                             int trainCount, int testCount, int classes, Path modelFile, Path curves) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", data.toString());
        config.put("train_images", trainCount);
        config.put("test_images", testCount);
        config.put("classes", classes);
        training.describe(config, units, activation != null ? activation : Activation.TANH, "softmax_cross_entropy", batch);
        config.put("epochs", epochs);
        Map<String, Object> report = Report.of("classify", config, training.threadCount());
        List<Object> h = new ArrayList<>();
        for (Progress p : history) {
            h.add(Report.progress(p, "epoch", "train_loss"));
        }
        report.put("history", h);
        Progress last = history.get(history.size() - 1);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("test_accuracy", testAccuracy);
        fin.put("test_loss", last.validationLoss());
        fin.put("train_accuracy", last.trainMetrics().get("accuracy"));
        fin.put("train_loss", last.trainLoss());
        report.put("final", fin);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("load_seconds", loadSeconds);
        timings.put("train_seconds", trainSeconds);
        timings.put("seconds_per_epoch", trainSeconds / history.size());
        timings.put("total_seconds", (System.nanoTime() - started) / 1e9);
        report.put("timings", timings);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("model", modelFile.toString());
        files.put("learning_curves_plot", curves.toString());
        report.put("outputs", files);
        Report.write(training.report, report);
    }
}
