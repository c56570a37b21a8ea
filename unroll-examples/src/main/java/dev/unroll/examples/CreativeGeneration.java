package dev.unroll.examples;

import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Generation;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Sequential;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed §14: creative generation with the §12 forecaster. Start from 20 values, predict the next
 * one, append it, repeat 300 times — once from 20 zeros and once from 20 real values of the
 * series. Each run two ways: the seed's, re-running the model on the last 20 values for every new
 * value, and stateful, feeding one value at a time while the model carries its state (one small
 * step per value; its memory then covers the whole history rather than the last 20 values, so
 * the two ways drift apart). Prints a summary and writes all four sequences as CSV (the
 * {@code unroll} command draws them).
 *
 * <p>Run: {@code unroll-examples/run CreativeGeneration [--model FILE] [--count 300] [--csv FILE]};
 * without {@code --model} it first trains a §12 model ({@code --iterations}, default 1500).
 */
public final class CreativeGeneration {
    static final String USAGE = "CreativeGeneration [--model FILE] [--iterations N] [--count N] [--seed S] [--csv FILE]";
    /**
     * Where the real seed values start. The seed writes {@code t_min + (t_max - t_min/3)}, which is
     * 30, the very end of the series; the book meant a third of the way, {@code (t_max - t_min)/3}.
     */
    static final double REAL_START = (TimeSeries.SEED.tMax() - TimeSeries.SEED.tMin()) / 3;

    private CreativeGeneration() {
    }

    /** Defaults: 300 new values per run; a model trained with the seed's 1500 iterations unless one is given. */
    public record Settings(Path model, int iterations, int count, long seed, Path csv) {
        static Settings read(Args a) {
            return new Settings(a.path("model", null), a.positiveInt("iterations", 1500), a.positiveInt("count", 300),
                    a.seed(42), a.path("csv", Args.defaultOutput("creative_sequences.csv")));
        }
    }

    /** One generated sequence (the 20 seed values first) and what it cost per generated value. */
    public record Run(String name, float[] values, double microsPerValue) {
    }

    /** A §12 model: loaded from {@code settings.model()}, or trained now. */
    static Sequential forecaster(Settings s, PrintStream out) throws IOException {
        if (s.model() == null) {
            TimeSeriesForecast.Settings training = new TimeSeriesForecast.Settings(s.iterations(), 100, 0.001, s.seed(),
                    Args.defaultOutput("my_time_series_model.safetensors"));
            return TimeSeriesForecast.run(training, out).model();
        }
        Layer loaded = Checkpoint.load(s.model());
        if (!(loaded instanceof Sequential model)) {
            throw new IllegalArgumentException(s.model() + " holds a " + loaded.kind() + " model; generation needs a sequential "
                    + "forecaster such as TimeSeriesForecast saves");
        }
        out.println("loaded " + model + " from " + s.model());
        return model;
    }

    /** The four runs: {zeros, real values} × {window re-run, stateful}. */
    public static List<Run> generate(Sequential model, int count) {
        int window = SeriesTraining.STEPS;
        List<Run> runs = new ArrayList<>();
        for (String start : new String[] {"zeros", "real"}) {
            float[] seed = start.equals("zeros") ? new float[window] : TimeSeries.SEED.values(REAL_START, window);
            long t0 = System.nanoTime();
            float[] rerun = Generation.windowRerun(model, seed, window, count);
            long t1 = System.nanoTime();
            float[] stateful = Generation.stateful(model, seed, count);
            long t2 = System.nanoTime();
            runs.add(new Run(start + "_window", rerun, (t1 - t0) / 1e3 / count));
            runs.add(new Run(start + "_stateful", stateful, (t2 - t1) / 1e3 / count));
        }
        return runs;
    }

    /** Columns {@code step, t, <run names>}; t counts the resolution from 0, as the seed's plot does. */
    static void writeCsv(Path file, List<Run> runs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            StringBuilder header = new StringBuilder("step,t");
            for (Run r : runs) {
                header.append(',').append(r.name());
            }
            w.println(header);
            for (int i = 0; i < runs.get(0).values().length; i++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%.1f", i, i * TimeSeries.SEED.resolution()));
                for (Run r : runs) {
                    row.append(',').append(r.values()[i]);
                }
                w.println(row);
            }
        }
    }

    public static List<Run> run(Settings s, PrintStream out) throws IOException {
        List<Run> runs = generate(forecaster(s, out), s.count());
        for (Run r : runs) {
            float[] v = r.values();
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = SeriesTraining.STEPS; i < v.length; i++) {
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
            }
            out.printf(Locale.ROOT, "%-15s %d values in [%.2f, %.2f], %.0f µs per value; first: %.3f %.3f %.3f %.3f %.3f%n",
                    r.name(), v.length - SeriesTraining.STEPS, min, max, r.microsPerValue(), v[20], v[21], v[22], v[23], v[24]);
        }
        writeCsv(s.csv(), runs);
        out.println("wrote " + s.csv());
        return runs;
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
