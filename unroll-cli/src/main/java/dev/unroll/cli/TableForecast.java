package dev.unroll.cli;

import dev.unroll.data.CsvReader;
import dev.unroll.data.DataFileException;
import dev.unroll.data.MissingValues;
import dev.unroll.data.SeriesTable;
import dev.unroll.forecast.Backtest;
import dev.unroll.forecast.ForecastDefaults;
import dev.unroll.forecast.ForecastSpec;
import dev.unroll.forecast.ForecastTask;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.Split;
import dev.unroll.forecast.Strategy;
import dev.unroll.forecast.TableLayout;
import dev.unroll.preprocess.SeasonalProfile;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.train.Progress;
import dev.unroll.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code unroll forecast --csv FILE}: a forecaster of a table's series, H steps ahead, trained on
 * the first part of each series and judged on its last part against the classical baselines
 * (naive, seasonal naive, drift, Naive2), as forecasters report it (sMAPE, MASE, OWA, MAE, RMSE,
 * overall and per horizon step). The numerics are {@code dev.unroll.forecast}'s; this class reads
 * the options, prints, plots and saves.
 */
final class TableForecast {
    /** Metadata key of how the command line reads the table (time, series-id, missing values). */
    private final ForecastCommand command;
    private final SeriesOptions o;

    TableForecast(ForecastCommand command) {
        this.command = command;
        this.o = command.series;
    }

    int run() throws IOException {
        long started = System.nanoTime();
        PrintWriter out = command.main.console().out();
        Path csv = Inputs.file(command.csv);
        List<String> targets = o.targets != null ? o.targets : List.of(firstValueColumn(csv));
        List<String> features = o.features != null ? o.features : List.of();
        List<String> columns = new ArrayList<>(targets);
        columns.addAll(features);
        MissingValues missing = o.missing != null ? o.missing : MissingValues.ERROR;
        SeriesTable table;
        try {
            // Rows after a series' last target value (covariates for predict's horizon) are not data to learn or test on.
            table = SeriesTable.reader().time(o.time).seriesId(o.seriesId).columns(columns).futureRows(targets).missing(missing).read(csv);
        } catch (DataFileException e) {
            if (o.targets == null && e.getMessage().contains("column \"" + targets.get(0) + "\"")) {
                throw new IOException(e.getMessage() + " (forecasting the first column; choose the target with --target and the time"
                        + " column with --time)", e);
            }
            throw e;
        }
        List<SeriesTable.Series> series = table.series().stream().map(s -> s.head(s.observed())).toList();

        int horizon = o.horizon != null ? o.horizon : 1;
        int season = o.season != null ? o.season : 1;
        Split testSplit = o.testLast != null ? Split.last(o.testLast, 0) : Split.fractions(o.holdout != null ? o.holdout : 0.2, 0);
        int lookback = o.lookback != null ? o.lookback : ForecastDefaults.lookback(series, testSplit, horizon);
        Split split = o.validationLast != null ? new Split(testSplit.test(), testSplit.testFraction(), o.validationLast, 0)
                : ForecastDefaults.withValidation(series, testSplit, lookback, horizon);
        boolean validation = series.stream().anyMatch(s -> {
            Split.Bounds b = split.bounds(s.length());
            return b.validationEnd() > b.trainEnd();
        });
        boolean lag = o.seasonalLag != null ? o.seasonalLag : ForecastDefaults.seasonalLag(season, lookback);
        SeriesPreprocessing.Settings settings = new SeriesPreprocessing.Settings(targets, features, o.calendarSet(), season, o.log,
                o.normalization, o.deseasonalize != null ? o.deseasonalize : SeriesPreprocessing.Deseasonalize.AUTO, 1);
        TrainingOptions t = command.training;
        ForecastSpec spec = ForecastSpec.builder(settings, horizon).lookback(lookback)
                .strategy(o.strategy != null ? o.strategy : Strategy.DIRECT).seasonalLag(lag)
                .cell(command.given("--cell") ? t.cell : ForecastDefaults.CELL).layers(t.layers)
                .units(command.given("--units") ? command.units : ForecastDefaults.UNITS)
                .learningRate(command.given("--lr") ? t.lr : ForecastDefaults.LEARNING_RATE)
                .batch(command.given("--batch") ? command.batch : ForecastDefaults.BATCH)
                .epochs(o.epochs != null ? o.epochs : validation ? ForecastDefaults.EPOCHS_WITH_VALIDATION : ForecastDefaults.EPOCHS)
                .patience(o.patience).ensemble(o.ensemble != null ? o.ensemble : ForecastDefaults.ENSEMBLE).seed(t.seed)
                .stride(ForecastDefaults.stride(series, split, lookback, horizon)).build();

        if (series.stream().noneMatch(s -> {
            Split.Bounds b = split.bounds(s.length());
            return b.end() - b.validationEnd() >= horizon;
        })) {
            throw new IOException(csv + ": the test part holds no forecast origin: it needs at least --horizon " + horizon
                    + " steps of a series (use --holdout or --test-last)");
        }
        Outputs outputs = new Outputs();
        Path modelFile = t.prepareOutputs(outputs, command.outDir);
        out.println("series: " + describe(csv, table.columns(), series));
        out.println("split: " + describe(split, series.get(0).length()) + (series.size() > 1 ? " (of the first series)" : ""));
        out.println("forecast: " + describe(spec.task(), season));

        dev.unroll.kernel.Parallel.setThreads(t.threadCount());
        MemberProgress progress = new MemberProgress(command.main.console(), spec.ensemble());
        Forecaster.Fit fit;
        try (progress) {
            fit = outputs.discardOnFailure(() -> Forecaster.fit(series, split, spec, progress));
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        Forecaster forecaster = fit.forecaster();
        out.println("preprocessing: " + describe(forecaster.preprocessing()));
        out.println("model: " + forecaster.model() + ", " + Format.count(forecaster.model().parameterCount()) + " parameters");
        out.println("training: " + spec.ensemble() + " network" + (spec.ensemble() == 1 ? "" : "s") + " on " + fit.trainingWindows()
                + " windows" + (fit.validationWindows() > 0 ? ", early stopping on " + fit.validationWindows() + " validation windows" : "")
                + ", " + spec.epochs() + " epochs at most, MAE, Adam lr " + spec.learningRate() + ", seed " + spec.seed() + ", "
                + Format.seconds(trainSeconds));

        long evalStart = System.nanoTime();
        Backtest.Result test = Backtest.run(forecaster, series, split, season, 1);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        out.println("test: " + test.origins() + " forecast" + (test.origins() == 1 ? "" : "s") + " of " + horizon + " steps, from every"
                + " origin in the test part");
        for (Map.Entry<String, Map<String, Backtest.Metrics>> e : test.metrics().entrySet()) {
            printTable(out, e.getKey(), e.getValue());
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.putAll(new TableLayout(o.time, o.seriesId, missing).toMetadata());
        forecaster.save(modelFile, metadata);
        Path forecastPng = command.outDir.resolve("forecast.png");
        Path horizonPng = command.outDir.resolve("error-by-horizon.png");
        SeriesPlots.writeTest(forecastPng, horizonPng, test, series, targets.get(0), horizon);
        out.println("saved model: " + modelFile);
        out.println("plots: " + forecastPng + ", " + horizonPng);
        if (t.report != null) {
            ForecastReport.write(t.report, command, spec, split, fit, test, series, trainSeconds, evalSeconds, started, modelFile,
                    forecastPng, horizonPng);
            out.println("report: " + t.report);
        }
        Map<String, Double> unroll = test.metrics().get(targets.get(0)).get("unroll").overall();
        out.println("smape=" + unroll.get("smape"));
        return 0;
    }

    /** The first column of the header that is neither the time nor the series id. */
    private String firstValueColumn(Path csv) throws IOException {
        try (CsvReader reader = CsvReader.open(csv)) {
            List<String> header = reader.next();
            if (header != null) {
                for (String name : header) {
                    if (!name.equals(o.time) && !name.equals(o.seriesId)) {
                        return name;
                    }
                }
            }
            throw new DataFileException(csv, "no column to forecast: name one with --target");
        }
    }

    private static String describe(Path csv, List<String> columns, List<SeriesTable.Series> s) {
        SeriesTable.Series first = s.get(0);
        String step = first.time().kind() == dev.unroll.data.TimeAxis.Kind.NUMBER ? "" : ", " + first.time().step();
        return csv.getFileName() + ": " + (s.size() == 1 ? "1 series" : s.size() + " series") + ", "
                + (s.size() == 1 ? first.length() + " steps" : s.stream().mapToInt(SeriesTable.Series::length).sum() + " steps in all")
                + step + "; columns " + String.join(", ", columns);
    }

    private static String describe(Split split, int n) {
        Split.Bounds b = split.bounds(n);
        return "the last " + (b.end() - b.validationEnd()) + " steps for testing, the " + (b.validationEnd() - b.trainEnd())
                + " before for validation, the first " + b.trainEnd() + " for training";
    }

    /** A forecast task in words: "18 steps ahead, direct, lookback 36, season 12". */
    static String describe(ForecastTask task, int season) {
        int horizon = task.horizon();
        return horizon + " step" + (horizon == 1 ? "" : "s") + " ahead, " + task.strategy().id() + ", lookback " + task.lookback()
                + (season > 1 ? ", season " + season + (task.seasonalLag() ? " (seasonal lag read)" : "") : "");
    }

    /** Fitted preprocessing in words: the normalization, the seasonal profiles removed, the covariates. */
    static String describe(SeriesPreprocessing p) {
        SeriesPreprocessing.Settings s = p.settings();
        StringBuilder sb = new StringBuilder();
        if (s.log()) {
            sb.append("logs, ");
        }
        sb.append(switch (p.normalization()) {
            case DIVIDE -> "each window divided by its level";
            case SUBTRACT -> "each window's level subtracted";
            case NONE -> "targets standardized";
        });
        if (s.season() > 1) {
            int seasonal = 0;
            for (String id : p.seriesIds()) {
                for (String t : s.targets()) {
                    SeasonalProfile profile = p.state(id).profiles().get(t);
                    seasonal += profile.isNone() ? 0 : 1;
                }
            }
            sb.append("; seasonal profile of period ").append(s.season()).append(" removed from ").append(seasonal).append(" of ")
                    .append(p.seriesIds().size() * s.targets().size()).append(" target series");
        }
        if (!s.features().isEmpty()) {
            sb.append("; features standardized");
        }
        if (!s.calendar().isEmpty()) {
            sb.append("; calendar ").append(s.calendar().stream().map(dev.unroll.data.Calendar::id).toList());
        }
        return sb.toString();
    }

    private static void printTable(PrintWriter out, String target, Map<String, Backtest.Metrics> metrics) {
        out.println("target " + target + ":");
        out.println(String.format(Locale.ROOT, "  %-8s %10s %8s %8s %12s %12s %12s", "method", "sMAPE", "MASE", "OWA", "MAE", "RMSE", "MAPE"));
        for (Map.Entry<String, Backtest.Metrics> e : metrics.entrySet()) {
            Map<String, Double> m = e.getValue().overall();
            out.println(String.format(Locale.ROOT, "  %-8s %10s %8s %8s %12s %12s %12s", e.getKey(), Format.number(m.get("smape")),
                    Format.number(m.get("mase")), Format.number(m.get("owa")), Format.number(m.get("mae")), Format.number(m.get("rmse")),
                    Format.number(m.get("mape"))));
        }
    }

    /**
     * Training progress across an ensemble: the live status line of each network's epochs on
     * standard error, and one result line per network on standard output.
     */
    private static final class MemberProgress implements TrainingListener, AutoCloseable {
        private final ProgressReporter reporter;
        private final int members;
        private int member;
        private Progress last;
        private int epochs;

        MemberProgress(Console console, int members) {
            this.reporter = new ProgressReporter(console, ProgressReporter.Unit.EPOCHS, p -> "");
            this.members = members;
        }

        @Override
        public void onStart(long totalSteps, long stepsPerEpoch) {
            summarize();
            member++;
            epochs = 0;
            reporter.onStart(totalSteps, stepsPerEpoch);
        }

        @Override
        public void onStep(long iteration, double loss) {
            reporter.onStep(iteration, loss);
        }

        @Override
        public void onProgress(Progress progress) {
            last = progress;
            epochs++;
        }

        private void summarize() {
            if (last != null) {
                reporter.result(String.format(Locale.ROOT, "network %d/%d: %d epochs, train MAE %s%s", member, members, epochs,
                        Format.number(last.trainLoss()), Double.isNaN(last.validationLoss()) ? ""
                                : ", validation MAE " + Format.number(last.validationLoss())));
                last = null;
            }
        }

        @Override
        public void close() {
            summarize();
            reporter.close();
        }
    }
}
