package dev.unroll.cli;

import dev.unroll.data.TimeSeries;
import dev.unroll.infer.Standardization;
import dev.unroll.nn.Generation;
import dev.unroll.nn.Sequential;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code unroll generate}: seed §14, creative sequences. A saved forecaster predicts the next value,
 * which is appended and fed back, again and again; once from zeros and once from real values.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Generate new values with a saved forecaster (seed section 14).",
            "",
            "Starting from a seed sequence, the model predicts the next value, which is appended and fed back,"
                + " --count times. As the seed, two runs: from --window zeros, and from real values: the first"
                + " --window values of the generated series from t = 10 (for a model trained on it), or the values"
                + " of --seed-csv.",
            "",
            "--mode window re-runs the model on the last --window values for each new value (the seed's way);"
                + " --mode stateful carries the recurrent state and feeds one value per step (much faster; the"
                + " state then covers the whole history, so values can differ).",
            "",
            "Writes <out>/generated.csv (run,index,part,value) and <out>/generation.png (the two runs side by"
                + " side). The last line printed is generated=<count>.",
            ""})
final class GenerateCommand implements Callable<Integer> {
    /** Where the real-valued seed starts on the generated series: the book's (t_max - t_min) / 3. */
    static final double SERIES_SEED_START = 10.0;

    enum Mode {
        WINDOW,
        STATEFUL;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A forecaster saved by unroll forecast (.safetensors).")
    Path modelFile;

    @Option(names = "--count", paramLabel = "N", defaultValue = "300",
            description = "Values to generate in each run (default: ${DEFAULT-VALUE}).")
    int count;

    /** Values one run may generate: ten million floats, 40 MB, minutes of work. */
    static final int MAX_COUNT = 10_000_000;

    @Option(names = "--mode", paramLabel = "window|stateful", defaultValue = "window",
            description = "window: re-run the last --window values for each value (the seed's way); stateful: carry"
                    + " the state, one step per value (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--window", paramLabel = "N",
            description = "Length of the zero seed and of the re-run window (default: the window the model was"
                    + " trained on, else 20).")
    Integer window;

    @Option(names = "--seed-csv", paramLabel = "FILE",
            description = "Seed the second run with the values of this CSV series (all of them, in order).")
    Path seedCsv;

    @Option(names = "--column", paramLabel = "NAME|INDEX",
            description = "The --seed-csv column: a header name or a 0-based index (default: 0).")
    String column;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/generate",
            description = "Directory for the values and the plot (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        Checks.between(spec, "--count", count, 1, MAX_COUNT);
        if (window != null) {
            Checks.between(spec, "--window", window, 1, SavedModel.MAX_WINDOW);
        }
        if (column != null && seedCsv == null) {
            throw Checks.usage(spec, "--column needs --seed-csv");
        }
        PrintWriter out = main.console().out();
        SavedModel model = SavedModel.load(modelFile);
        if (model.task() != SavedModel.Task.FORECASTER) {
            throw new IOException(modelFile + " is " + model.describe() + "; generation needs a forecaster (unroll forecast)");
        }
        int w = window != null ? window : model.window(20);
        Standardization scaling = model.scaling();

        float[] zeros = new float[w];
        float[] real;
        String realName;
        if (seedCsv != null) {
            real = CsvInput.read(seedCsv, column);
            realName = CsvInput.describe(seedCsv, column);
        } else if (model.trainedOnGeneratedSeries()) {
            real = TimeSeries.SEED.values(SERIES_SEED_START, w);
            realName = "the generated series from t = " + SERIES_SEED_START;
        } else {
            throw Checks.usage(spec, modelFile + " was trained on " + model.metadata().get(SavedModel.SERIES)
                    + "; give real values to start from with --seed-csv FILE");
        }
        if (mode == Mode.WINDOW && real.length < w) {
            throw new IOException((seedCsv != null ? seedCsv.toString() : "the seed") + ": " + real.length
                    + " values, fewer than the window of " + w + " that --mode window re-runs");
        }
        if (real.length == 0) {
            throw new IOException(seedCsv + ": no values to start from");
        }
        Outputs outputs = new Outputs();
        outputs.directory(outDir, "--out");

        out.println("model: " + model.describe());
        Run fromZeros = run(model.model(), zeros, w, scaling);
        Run fromReal = run(model.model(), real, w, scaling);
        String how = mode == Mode.WINDOW ? "window re-run of " + w + " values" : "stateful";
        out.println("from " + w + " zeros: " + count + " values in " + Format.seconds(fromZeros.seconds) + " (" + how + ")");
        out.println("from " + real.length + " values of " + realName + ": " + count + " values in "
                + Format.seconds(fromReal.seconds) + " (" + how + ")");

        StringBuilder csv = new StringBuilder("run,index,part,value\n");
        append(csv, "zeros", fromZeros.values, w);
        append(csv, "series", fromReal.values, real.length);
        Path table = outDir.resolve("generated.csv");
        Path plot = outDir.resolve("generation.png");
        Outputs.writeText(table, csv.toString());
        Outputs.writePng(plot, Plots.generation("Creative sequence (from " + w + " zeros)", fromZeros.values, w,
                "Creative sequence (from real values)", fromReal.values, real.length));
        out.println("values: " + table);
        out.println("plot: " + plot);
        out.println("generated=" + count);
        return 0;
    }

    /** One generated sequence (seed included, in the series' units) and its time. */
    private record Run(float[] values, double seconds) {
    }

    private Run run(Sequential model, float[] seed, int w, Standardization scaling) {
        long start = System.nanoTime();
        float[] z = scaling.apply(seed);
        float[] generated = mode == Mode.WINDOW ? Generation.windowRerun(model, z, w, count) : Generation.stateful(model, z, count);
        return new Run(scaling.invert(generated), (System.nanoTime() - start) / 1e9);
    }

    private static void append(StringBuilder csv, String run, float[] values, int seedLength) {
        for (int i = 0; i < values.length; i++) {
            csv.append(run).append(',').append(i).append(',').append(i < seedLength ? "seed" : "generated").append(',')
                    .append(values[i]).append('\n');
        }
    }
}
