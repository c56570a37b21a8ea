package dev.unroll.cli;

import dev.unroll.data.SeriesTable;
import dev.unroll.forecast.Backtest;
import dev.unroll.forecast.ForecastSpec;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.Split;
import dev.unroll.train.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of {@code unroll forecast --csv}: the configuration, the training history, and
 * the test — every forecast with its actuals (the first target's as {@code forecast} and
 * {@code actual}, every target's under {@code targets}), the metrics of Unroll and the baselines
 * overall ({@code metrics}, first target; {@code metrics_by_target}) and per horizon step.
 */
final class ForecastReport {
    private ForecastReport() {
    }

    static void write(Path file, ForecastCommand command, ForecastSpec spec, Split split, Forecaster.Fit fit, Backtest.Result test,
                      List<SeriesTable.Series> series, double trainSeconds, double evalSeconds, long started, Path modelFile,
                      Path forecastPng, Path horizonPng) throws IOException {
        List<String> targets = spec.preprocessing().targets();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("csv", command.csv.toString());
        config.put("targets", targets);
        config.put("features", spec.preprocessing().features());
        config.put("horizon", spec.horizon());
        config.put("season", spec.preprocessing().season());
        config.put("lookback", spec.lookback());
        config.put("strategy", spec.strategy().id());
        config.put("seasonal_lag", spec.task().seasonalLag());
        config.put("cell", spec.cell().id());
        config.put("units", spec.units());
        config.put("layers", spec.layers());
        config.put("ensemble", spec.ensemble());
        config.put("epochs", spec.epochs());
        config.put("batch", spec.batch());
        config.put("learning_rate", spec.learningRate());
        config.put("stride", spec.stride());
        config.put("seed", spec.seed());
        config.put("split", Map.of("test", split.test(), "test_fraction", split.testFraction(), "validation", split.validation()));
        config.put("preprocessing", fit.forecaster().preprocessing().config());
        Map<String, Object> report = Report.of("forecast", config, command.training.threadCount());

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("windows", fit.trainingWindows());
        training.put("validation_windows", fit.validationWindows());
        List<Object> history = new ArrayList<>();
        for (Progress p : fit.history()) {
            history.add(Report.progress(p, "epoch", "train_loss"));
        }
        training.put("history", history);
        report.put("training", training);

        Map<String, Object> t = new LinkedHashMap<>();
        t.put("origins", test.origins());
        List<Object> forecasts = new ArrayList<>();
        Map<String, SeriesTable.Series> byId = new LinkedHashMap<>();
        series.forEach(s -> byId.put(s.id(), s));
        for (Backtest.Forecast f : test.forecasts()) {
            SeriesTable.Series s = byId.get(f.series());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.series());
            e.put("origin", s.time().format(s.time().value(f.origin())));
            List<Object> times = new ArrayList<>();
            for (int step = 1; step <= spec.horizon(); step++) {
                times.add(s.time().format(s.time().value(f.origin() + step)));
            }
            e.put("times", times);
            e.put("forecast", column(f.values(), 0));
            e.put("actual", column(f.actual(), 0));
            Map<String, Object> byTarget = new LinkedHashMap<>();
            for (int k = 0; k < targets.size(); k++) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("forecast", column(f.values(), k));
                one.put("actual", column(f.actual(), k));
                for (Map.Entry<String, double[][]> b : f.baselines().entrySet()) {
                    one.put(b.getKey(), column(b.getValue(), k));
                }
                byTarget.put(targets.get(k), one);
            }
            e.put("targets", byTarget);
            forecasts.add(e);
        }
        t.put("series", forecasts);
        Map<String, Object> byTarget = new LinkedHashMap<>();
        Map<String, Object> perHorizon = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Backtest.Metrics>> e : test.metrics().entrySet()) {
            Map<String, Object> overall = new LinkedHashMap<>();
            Map<String, Object> steps = new LinkedHashMap<>();
            e.getValue().forEach((method, m) -> {
                overall.put(method, m.overall());
                steps.put(method, m.perStep());
            });
            byTarget.put(e.getKey(), overall);
            perHorizon.put(e.getKey(), steps);
        }
        t.put("metrics", byTarget.get(targets.get(0)));
        t.put("metrics_by_target", byTarget);
        t.put("per_horizon", perHorizon);
        report.put("test", t);

        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("train_seconds", trainSeconds);
        timings.put("evaluate_seconds", evalSeconds);
        timings.put("total_seconds", (System.nanoTime() - started) / 1e9);
        report.put("timings", timings);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("model", modelFile.toString());
        files.put("forecast_plot", forecastPng.toString());
        files.put("error_by_horizon_plot", horizonPng.toString());
        report.put("outputs", files);
        Report.write(file, report);
    }

    private static List<Object> column(double[][] values, int k) {
        List<Object> out = new ArrayList<>();
        for (double[] step : values) {
            out.add(step[k]);
        }
        return out;
    }
}
