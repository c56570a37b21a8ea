package dev.unroll.cli;

import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.infer.Standardization;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSource;
import dev.unroll.train.Loss;
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
 * {@code unroll forecast}: seed §11–§12. Trains a recurrent network to predict, at every step of a
 * window, the next value of a series; evaluates it on windows it has not seen; saves it and draws
 * the seed's figures.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a forecaster on a time series and evaluate it (seed sections 11 and 12).",
            "",
            "By default, the seed's experiment: the generated series y(t) = t*sin(t)/3 + 2*sin(5t), t in [0, 30]"
                + " every 0.1; random 20-step windows whose target is the window one step ahead; a simple RNN of"
                + " 100 ReLU units with a dense projection to 1 output per step; MSE; Adam 0.001; 1500 iterations"
                + " of batch 50. The MSE is then measured on 1000 fresh random windows.",
            "",
            "Writes <out>/model.safetensors, <out>/series.png (the series and a training instance) and"
                + " <out>/prediction.png (instance, target, prediction). The last line printed is mse=<value>.",
            "",
            "With --csv FILE: forecasts --horizon steps of the --target column(s) of a table (a --time column, --features,"
                + " a --series-id for many series), with each window normalized by its level and the --season removed, an"
                + " ensemble of LSTMs trained on the first part of each series and judged on its last part (--holdout or"
                + " --test-last) against naive, seasonal naive, drift and Naive2 (sMAPE, MASE, OWA, MAE, RMSE, MAPE)."
                + " Writes <out>/model.safetensors (preprocessing included), <out>/forecast.png and"
                + " <out>/error-by-horizon.png; the last line is smape=<value>. Its own defaults, where a flag is not given:"
                + " 5 LSTMs of 64 units, the mean absolute error, Adam 0.003, batches of 32. See docs/forecasting.md.",
            ""})
final class ForecastCommand implements Callable<Integer> {
    /** Where the seed's test instance starts (t = 12.2). */
    private static final double INSTANCE_START = TimeSeries.SEED_INSTANCE_START;
    /** Fresh random windows the generated-series model is evaluated on. */
    static final int EVALUATION_WINDOWS = 1000;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Forecast the series of this CSV file (with a header) instead of the seed's generated one; see the"
                    + " options below.")
    Path csv;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
            description = "Time steps per window (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--units", paramLabel = "N", defaultValue = "100",
            description = "Units of each recurrent layer (default: ${DEFAULT-VALUE}; with --csv: 64).")
    int units;

    @Option(names = "--activation", paramLabel = "relu|tanh", converter = Converters.RnnActivation.class,
            description = "Activation of rnn cells (default: relu, as the seed).")
    Activation activation;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1500",
            description = "Training iterations, one batch each (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "50",
            description = "Windows per batch (default: ${DEFAULT-VALUE}; with --csv: 32).")
    int batch;

    @Option(names = "--print-every", paramLabel = "N", defaultValue = "100",
            description = "Print the training MSE every N iterations (default: ${DEFAULT-VALUE}).")
    int printEvery;

    @Mixin
    TrainingOptions training;

    @Mixin
    SeriesOptions series;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/forecast",
            description = "Directory for the model and the plots (default: ${DEFAULT-VALUE}).")
    Path outDir;

    /** The series the model learns from, as the command prepared it. */
    private interface Source {
        /** One line saying what the series is. */
        String describe();

        BatchSource batches();

        /** The windows of the evaluation, scaled as the model sees them. */
        SequencePairs evaluationWindows();

        /** The instance of the plots: {@code steps + 1} positions and values (in the series' units). */
        double[] instanceX();

        double[] instanceValues();

        Standardization scaling();

        /** The whole series for the §11 figure. */
        SeriesPlot plot();
    }

    /** What the §11 figure shows of the series. */
    private record SeriesPlot(String title, String label, String xTitle, double[] x, double[] y, int heldOutFrom,
                              String instanceLabel) {
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        validate();
        if (csv != null) {
            return new TableForecast(this).run();
        }
        PrintWriter out = main.console().out();
        Source source = generated();

        Activation act = activation != null ? activation : Activation.RELU;
        Rng init = new Rng(training.seed);
        Sequential model = Sequential.of(training.recurrent(1, units, act, true, init), training.dense(units, 1, init));

        Outputs outputs = new Outputs();
        Path modelFile = training.prepareOutputs(outputs, outDir);

        out.println("series: " + source.describe());
        out.println("model: " + model + ", " + Format.count(model.parameterCount()) + " parameters");
        out.println("training: " + iterations + " iterations of " + batch + " windows of " + steps + " steps, Adam lr "
                + training.lr + ", seed " + training.seed + ", " + training.threadCount() + " threads");

        ProgressReporter progress = new ProgressReporter(main.console(), ProgressReporter.Unit.ITERATIONS,
                p -> String.format(Locale.ROOT, "iteration %" + String.valueOf(iterations).length() + "d/%d  train_mse %s  %s",
                        p.iteration(), iterations, Format.number(p.trainLoss()), Format.seconds(p.seconds())));
        Trainer trainer = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, training.lr))
                .batchSize(batch).seed(training.seed).threads(training.threadCount()).listener(progress).build();
        long trainStart = System.nanoTime();
        List<Progress> history;
        try (progress) {
            history = outputs.discardOnFailure(() -> trainer.fit(source.batches(), iterations, printEvery, null));
        }
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

        long evalStart = System.nanoTime();
        SequencePairs eval = source.evaluationWindows();
        double scaledMse = trainer.evaluate(SequenceDataset.regression(eval.inputs(), eval.targets())).loss();
        double mse = scaledMse * source.scaling().std() * source.scaling().std();
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        double[] instanceX = source.instanceX();
        double[] instance = source.instanceValues();
        double[] predictions = predictInstance(model, instance, source.scaling());

        SavedModel.save(model, modelFile, SavedModel.forecasterMetadata(steps, source.scaling(), SavedModel.SERIES_GENERATED));
        Path seriesPng = outDir.resolve("series.png");
        Path predictionPng = outDir.resolve("prediction.png");
        writePlots(source, seriesPng, predictionPng, instanceX, instance, predictions);

        String where = EVALUATION_WINDOWS + " fresh random windows";
        out.println("test MSE on " + where + ": " + Format.number(mse));
        out.println("saved model: " + modelFile);
        out.println("plots: " + seriesPng + ", " + predictionPng);
        if (training.report != null) {
            writeReport(history, mse, scaledMse, where, trainSeconds, evalSeconds, started, modelFile, seriesPng, predictionPng);
            out.println("report: " + training.report);
        }
        out.println("mse=" + mse);
        return 0;
    }

    private void validate() {
        Checks.between(spec, "--steps", steps, 1, SavedModel.MAX_WINDOW);
        Checks.atLeast(spec, "--units", units, 1);
        Checks.atLeast(spec, "--iterations", iterations, 1);
        Checks.atLeast(spec, "--batch", batch, 1);
        Checks.atLeast(spec, "--print-every", printEvery, 1);
        training.validate(spec, activation);
        series.validate(spec);
        if (csv == null && !series.given().isEmpty()) {
            throw Checks.usage(spec, series.given().get(0) + " needs --csv: it describes a table's series");
        }
        if (csv == null && (series.targets != null || series.holdout != null)) {
            throw Checks.usage(spec, (series.targets == null ? "--holdout" : given("--column") ? "--column" : "--target") + " needs --csv");
        }
        if (csv != null) {
            for (String seedOnly : List.of("--steps", "--iterations", "--print-every", "--activation")) {
                if (given(seedOnly)) {
                    throw Checks.usage(spec, seedOnly + " applies to the generated series; a table's forecaster reads --lookback"
                            + " steps and trains for --epochs");
                }
            }
        }
    }

    /** True when the option was given on the command line (not only its default). */
    boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    // ------------------------------------------------------------------ sources

    private Source generated() {
        TimeSeries series = TimeSeries.SEED;
        double span = series.tMax() - series.tMin();
        if (steps * series.resolution() > span) {
            int most = (int) Math.floor(span / series.resolution() + 1e-9);
            while (most * series.resolution() > span) {
                most--;
            }
            throw Checks.usage(spec, "--steps " + steps + " is too long for the generated series: a window of " + steps
                    + " steps spans " + Format.number(steps * series.resolution()) + " time units, the series "
                    + Format.number(span) + " (at most " + most + " steps)");
        }
        return new Source() {
            @Override
            public String describe() {
                return "generated, y(t) = t*sin(t)/3 + 2*sin(5t), t in [" + series.tMin() + ", " + series.tMax() + "] every "
                        + series.resolution();
            }

            @Override
            public BatchSource batches() {
                return rng -> {
                    SequencePairs p = series.nextBatch(rng, batch, steps);
                    return new Batch(p.inputs(), p.targets(), null, null);
                };
            }

            @Override
            public SequencePairs evaluationWindows() {
                // A stream of its own: the same windows whatever the training did.
                return series.nextBatch(new Rng(training.seed ^ 0x6A09E667F3BCC909L), EVALUATION_WINDOWS, steps);
            }

            @Override
            public double[] instanceX() {
                return series.instanceTimes(INSTANCE_START, steps);
            }

            @Override
            public double[] instanceValues() {
                double[] t = instanceX();
                double[] y = new double[t.length];
                for (int i = 0; i < t.length; i++) {
                    y[i] = (float) TimeSeries.value(t[i]);
                }
                return y;
            }

            @Override
            public Standardization scaling() {
                return Standardization.NONE;
            }

            @Override
            public SeriesPlot plot() {
                TimeSeries.Curve curve = series.curve();
                return new SeriesPlot("A time series (generated)", "t*sin(t)/3 + 2*sin(5t)", "Time", curve.t(), curve.y(), 0,
                        "A training instance");
            }
        };
    }

    // ------------------------------------------------------------------ results

    /** The model's per-step predictions for the instance's first {@code steps} values, in the series' units. */
    private double[] predictInstance(Sequential model, double[] instance, Standardization scaling) {
        float[] x = new float[steps];
        for (int i = 0; i < steps; i++) {
            x[i] = (float) ((instance[i] - scaling.mean()) / scaling.std());
        }
        Tensor y = model.predict(Tensor.of(x, 1, steps, 1));
        double[] p = new double[steps];
        for (int i = 0; i < steps; i++) {
            p[i] = scaling.invert(y.get(0, i, 0));
        }
        return p;
    }

    private void writePlots(Source source, Path seriesPng, Path predictionPng, double[] instanceX, double[] instance,
                            double[] predictions) throws IOException {
        SeriesPlot plot = source.plot();
        Outputs.writePng(seriesPng, Plots.series(plot.title(), plot.label(), plot.xTitle(), plot.x(), plot.y(),
                plot.heldOutFrom(), instanceX, instance, plot.instanceLabel()));
        Outputs.writePng(predictionPng, Plots.prediction("Testing the model", plot.xTitle(), instanceX,
                Arrays.copyOf(instance, steps), Arrays.copyOfRange(instance, 1, steps + 1), predictions));
    }

    private void writeReport(List<Progress> history, double mse, double scaledMse, String where, double trainSeconds,
                             double evalSeconds, long started, Path modelFile, Path seriesPng, Path predictionPng)
            throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("series", "generated: y(t) = t*sin(t)/3 + 2*sin(5t), t in [0, 30] every 0.1");
        config.put("steps", steps);
        training.describe(config, units, activation != null ? activation : Activation.RELU, "mse", batch);
        config.put("iterations", iterations);
        config.put("print_every", printEvery);
        Map<String, Object> report = Report.of("forecast", config, training.threadCount());
        List<Object> h = new ArrayList<>();
        for (Progress p : history) {
            h.add(Report.progress(p, "period", "train_mse"));
        }
        report.put("history", h);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("mse", mse);
        fin.put("evaluated_on", where);
        report.put("final", fin);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("train_seconds", trainSeconds);
        timings.put("iterations_per_second", iterations / trainSeconds);
        timings.put("evaluate_seconds", evalSeconds);
        timings.put("total_seconds", (System.nanoTime() - started) / 1e9);
        report.put("timings", timings);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("model", modelFile.toString());
        files.put("series_plot", seriesPng.toString());
        files.put("prediction_plot", predictionPng.toString());
        report.put("outputs", files);
        Report.write(training.report, report);
    }
}
