package dev.unroll.cli;

import dev.unroll.data.Idx;
import dev.unroll.io.Checkpoint;
import dev.unroll.infer.Standardization;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code unroll predict}: runs a saved model on new input. A forecaster (from {@code unroll forecast})
 * reads a CSV series and predicts every value from the ones before it; a classifier (from
 * {@code unroll classify}) reads an IDX image file and predicts a class per image.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run a saved model on new input.",
            "",
            "A forecaster of a table (unroll forecast --csv) reads a table with the columns it was trained on (--csv) and"
                + " forecasts the H steps after the end of each series (or from --from-end N steps before it, scored against"
                + " what follows); known covariates for the horizon go in rows after the last target value. Writes"
                + " <out>/forecasts.csv and <out>/forecast.png; the last line is forecasts=<rows>, or smape=<value> when"
                + " actual values follow the origin.",
            "",
            "The seed's forecaster (unroll forecast) takes a CSV series (--csv): for every position it predicts the value"
                + " from the --window values before it, and one more past the end. Writes <out>/predictions.csv"
                + " (index,value,prediction) and <out>/predictions.png; the last line printed is mse=<value>, the"
                + " one-step-ahead error over the series.",
            "",
            "A text model (unroll classify --tsv, unroll text train) takes texts: --text TEXT (repeatable) or --tsv FILE (a text"
                + " per line, or text<TAB>label). A classifier prints label<TAB>probability<TAB>text per text, the last line"
                + " accuracy=<value> with labels, predictions=<count> without; a language model prints bits per token and text,"
                + " the last line bits_per_<token>=<value> over all texts.",
            "",
            "A classifier (unroll classify) takes an IDX image file (--images, raw or .gz) and optionally its labels"
                + " (--labels). Writes <out>/predictions.csv (index,prediction[,label]); the last line printed is"
                + " accuracy=<value> with labels, predictions=<count> without.",
            ""})
final class PredictCommand implements Callable<Integer> {
    /** Windows (or images) run through the model at once. */
    private static final int CHUNK = 1000;
    /** The plot's second panel shows the last this many positions of a long series. */
    private static final int ZOOM = 100;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model saved by unroll forecast or unroll classify (.safetensors), its ONNX export, or an ONNX"
                    + " model imported from elsewhere (.onnx).")
    Path modelFile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Forecaster input: a CSV series.")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME|INDEX",
            description = "The CSV column: a header name or a 0-based index (default: 0).")
    String column;

    @Option(names = "--window", paramLabel = "N",
            description = "Values each prediction looks back on (default: the window the model was trained on, else 20).")
    Integer window;

    @Option(names = "--images", paramLabel = "FILE", description = "Classifier input: an IDX image file (raw or .gz).")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "The images' labels (IDX, raw or .gz), to measure accuracy.")
    Path labels;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "Text model input (repeatable): a text classifier labels it, a language model scores it in bits per token.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--tsv", paramLabel = "FILE",
            description = "Text model input: one text per line, or text<TAB>label lines (a classifier's accuracy is measured).")
    Path tsv;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the kernels (default: the number of processors).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/predict",
            description = "Directory for the predictions and the plot (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--from-end", paramLabel = "N", defaultValue = "0",
            description = "A forecaster of a table (unroll forecast --csv): forecast from N steps before the end of each series, and"
                    + " score against the N values that follow (default: ${DEFAULT-VALUE}, past the end).")
    int fromEnd;

    @Override
    public Integer call() throws Exception {
        if (!texts.isEmpty() || tsv != null) {
            if (csv != null || images != null || labels != null) {
                throw Checks.usage(spec, "--text and --tsv are the input of text models; they do not go with --csv, --images or --labels");
            }
            if (threads != null) {
                Checks.threads(spec, "--threads", threads);
                Parallel.setThreads(threads);
            }
            return TextPrediction.run(main.console().out(), TextModel.load(modelFile), texts, tsv);
        }
        validate();
        Checkpoint.Loaded loaded = SavedModel.read(modelFile);
        if (TextModel.isText(loaded.metadata())) {
            throw Checks.usage(spec, modelFile + " is a text model: give its input with --text TEXT or --tsv FILE");
        }
        if (TablePrediction.applies(loaded)) {
            if (csv == null) {
                throw Checks.usage(spec, modelFile + " is a forecaster of a table: give the table with --csv");
            }
            if (column != null || window != null) {
                throw Checks.usage(spec, (column != null ? "--column" : "--window") + ": a forecaster of a table reads the columns and the"
                        + " lookback it was trained with");
            }
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            return TablePrediction.run(this, loaded, fromEnd);
        }
        if (fromEnd != 0) {
            throw Checks.usage(spec, "--from-end applies to forecasters of tables (unroll forecast --csv)");
        }
        SavedModel model = SavedModel.of(modelFile, loaded);
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (csv != null) {
            if (model.task() != SavedModel.Task.FORECASTER) {
                throw new IOException(modelFile + " is " + model.describe() + "; it reads images (--images), not a CSV series");
            }
            return forecast(model);
        }
        if (model.task() != SavedModel.Task.CLASSIFIER) {
            throw new IOException(modelFile + " is " + model.describe() + "; it reads a CSV series (--csv), not images");
        }
        return classify(model);
    }

    private void validate() {
        if ((csv == null) == (images == null)) {
            throw Checks.usage(spec, "give the input: either --csv FILE (a forecaster) or --images FILE (a classifier)");
        }
        if (csv == null && (column != null || window != null)) {
            throw Checks.usage(spec, (column != null ? "--column" : "--window") + " applies to --csv input only");
        }
        if (images == null && labels != null) {
            throw Checks.usage(spec, "--labels needs --images");
        }
        if (window != null) {
            Checks.between(spec, "--window", window, 1, SavedModel.MAX_WINDOW);
        }
        if (threads != null) {
            Checks.threads(spec, "--threads", threads);
        }
        Checks.between(spec, "--from-end", fromEnd, 0, SavedModel.MAX_WINDOW);
    }

    // ------------------------------------------------------------------ forecaster

    private int forecast(SavedModel model) throws IOException {
        PrintWriter out = main.console().out();
        float[] values = CsvInput.read(csv, column);
        if (values.length < 2) {
            throw new IOException(csv + ": " + values.length + " value" + (values.length == 1 ? "" : "s")
                    + "; one-step-ahead prediction needs at least 2");
        }
        int w = window != null ? window : model.window(20);
        Standardization scaling = model.scaling();
        Outputs outputs = new Outputs();
        outputs.directory(outDir, "--out");

        long start = System.nanoTime();
        double[] predictions = oneStepAhead(model, scaling.apply(values), w, scaling);
        double seconds = (System.nanoTime() - start) / 1e9;

        int n = values.length;
        double sum = 0;
        StringBuilder table = new StringBuilder("index,value,prediction\n");
        for (int i = 0; i <= n; i++) {
            table.append(i).append(',').append(i < n ? Float.toString(values[i]) : "").append(',')
                    .append(i > 0 ? Float.toString((float) predictions[i]) : "").append('\n');
            if (i > 0 && i < n) {
                double d = predictions[i] - values[i];
                sum += d * d;
            }
        }
        double mse = sum / (n - 1);
        Path table1 = outDir.resolve("predictions.csv");
        Path plot = outDir.resolve("predictions.png");
        Outputs.writeText(table1, table.toString());
        Outputs.writePng(plot, Plots.oneStepPredictions("One-step-ahead predictions (" + csv.getFileName() + ")",
                Plots.toDouble(values), predictions, ZOOM));

        out.println("model: " + model.describe());
        out.println("series: " + CsvInput.describe(csv, column) + ", " + n + " values; each prediction from the " + w
                + " values before it (fewer at the start)");
        out.println(String.format(Locale.ROOT, "predicted %d positions in %s", n, Format.seconds(seconds)));
        out.println("one-step-ahead MSE over " + (n - 1) + " positions: " + Format.number(mse));
        out.println("next value after the series: " + Format.number(predictions[n]));
        out.println("predictions: " + table1);
        out.println("plot: " + plot);
        out.println("mse=" + mse);
        return 0;
    }

    /**
     * {@code p[i]} for {@code i} in {@code [1, n]}: the model's prediction of value {@code i} from the
     * (scaled) values {@code [max(0, i − w), i)}, in the series' units; {@code p[0]} is NaN. Windows
     * shorter than {@code w} (at the start) are run with their lengths.
     */
    private static double[] oneStepAhead(SavedModel model, float[] z, int w, Standardization scaling) {
        int n = z.length;
        double[] p = new double[n + 1];
        p[0] = Double.NaN;
        for (int from = 1; from <= n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK - 1);
            int size = to - from + 1;
            int steps = Math.min(w, to);
            Tensor x = Tensor.zeros(size, steps, 1);
            int[] lengths = new int[size];
            for (int b = 0; b < size; b++) {
                int i = from + b;
                int len = Math.min(w, i);
                lengths[b] = len;
                System.arraycopy(z, i - len, x.data(), b * steps, len);
            }
            Tensor y = model.model().predict(x, lengths);
            for (int b = 0; b < size; b++) {
                p[from + b] = scaling.invert(y.get(b, lengths[b] - 1, 0));
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ classifier

    private int classify(SavedModel model) throws IOException {
        PrintWriter out = main.console().out();
        Tensor x = Idx.readImages(Inputs.file(images));
        int[] truth = labels == null ? null : Idx.readLabels(Inputs.file(labels));
        int n = x.dim(0);
        int features = model.recurrent().inputSize();
        int classes = model.head().outputSize();
        if (x.dim(2) != features) {
            throw new IOException(images + ": images of " + x.dim(1) + "x" + x.dim(2) + " pixels, but the model reads "
                    + features + " features per step (images " + features + " pixels wide)");
        }
        if (truth != null && truth.length != n) {
            throw new IOException(images + " holds " + n + " images but " + labels + " holds " + truth.length + " labels");
        }
        if (truth != null) {
            for (int i = 0; i < n; i++) {
                if (truth[i] >= classes) {
                    throw new IOException(labels + ": label " + truth[i] + " at index " + i + " is outside the model's "
                            + classes + " classes (0 to " + (classes - 1) + ")");
                }
            }
        }
        if (n == 0) {
            throw new IOException(images + ": no images");
        }
        Outputs outputs = new Outputs();
        outputs.directory(outDir, "--out");

        long start = System.nanoTime();
        int[] predicted = new int[n];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            Tensor logits = model.model().predict(x.slice(0, from, to));
            for (int b = 0; b < to - from; b++) {
                predicted[from + b] = argmax(logits, b, classes);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        StringBuilder table = new StringBuilder(truth == null ? "index,prediction\n" : "index,prediction,label\n");
        int hits = 0;
        for (int i = 0; i < n; i++) {
            table.append(i).append(',').append(predicted[i]);
            if (truth != null) {
                table.append(',').append(truth[i]);
                hits += predicted[i] == truth[i] ? 1 : 0;
            }
            table.append('\n');
        }
        Path file = outDir.resolve("predictions.csv");
        Outputs.writeText(file, table.toString());

        out.println("model: " + model.describe());
        out.println("images: " + images + ", " + Format.count(n) + " of " + x.dim(1) + "x" + x.dim(2));
        out.println(String.format(Locale.ROOT, "predicted %d images in %s", n, Format.seconds(seconds)));
        out.println("predictions: " + file);
        if (truth == null) {
            out.println("predictions=" + n);
        } else {
            double accuracy = (double) hits / n;
            out.println("accuracy: " + Format.fraction(accuracy) + " (" + hits + " of " + n + " correct)");
            out.println("accuracy=" + accuracy);
        }
        return 0;
    }

    private static int argmax(Tensor logits, int row, int classes) {
        float[] z = logits.data();
        int base = logits.offset() + row * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (z[base + c] > z[base + best]) {
                best = c;
            }
        }
        return best;
    }
}
