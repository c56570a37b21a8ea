package dev.unroll.forecast;

import dev.unroll.data.SeriesTable;
import dev.unroll.preprocess.SeriesPreprocessing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a forecaster on the test part of each series as forecasters report it: forecasts from
 * every origin in the test part (each the H steps after it, all of them known), the classical
 * {@link Baselines} from the same origins, and for every method the {@link ForecastMetrics} over
 * all those points and per horizon step, with OWA against Naive2. MASE is scaled per series by its
 * history before the test part (training and validation), as M4 scales by the in-sample data.
 */
public final class Backtest {
    private Backtest() {
    }

    /** One forecast from one origin, in the series' units: {@code [step][target]}. */
    public record Forecast(String series, int origin, double[][] values, double[][] actual, Map<String, double[][]> baselines) {
    }

    /**
     * The metrics of one method for one target: over all points, and per horizon step ({@code
     * perStep.get(s)} for step s + 1).
     */
    public record Metrics(Map<String, Double> overall, List<Map<String, Double>> perStep) {
    }

    /**
     * The evaluation: per target, per method ({@code "unroll"} then the baselines), the metrics; and
     * every forecast made.
     */
    public record Result(Map<String, Map<String, Metrics>> metrics, List<Forecast> forecasts, int origins) {
    }

    /**
     * Backtests on the test part of each series as {@code split} cuts it, from origins every
     * {@code stride} steps (counting back from the last origin whose H steps are all known).
     */
    public static Result run(Forecaster forecaster, List<SeriesTable.Series> series, Split split, int season, int stride) {
        ForecastTask task = forecaster.task();
        SeriesPreprocessing preprocessing = forecaster.preprocessing();
        List<String> targets = preprocessing.settings().targets();
        int h = task.horizon();
        List<Window> windows = new ArrayList<>();
        List<double[]> scales = new ArrayList<>();
        for (SeriesTable.Series s : series) {
            Split.Bounds b = split.bounds(s.length());
            SeriesPreprocessing.Prepared p = preprocessing.prepare(s, s.length());
            double[] scale = new double[targets.size()];
            for (int k = 0; k < scale.length; k++) {
                // In-sample, as M4 scales it: everything before the test part.
                scale[k] = ForecastMetrics.maseScale(raw(s.column(targets.get(k)), b.validationEnd()), season);
            }
            for (int o = b.end() - 1 - h; o >= Math.max(b.validationEnd() - 1, task.minLookback() - 1); o -= stride) {
                windows.add(Window.ending(p, o, task));
                scales.add(scale);
            }
        }
        double[][][] model = forecaster.forecast(windows);
        List<String> methods = new ArrayList<>(List.of("unroll"));
        methods.addAll(Baselines.NAMES);
        Map<String, Map<String, ForecastMetrics.Accumulator[]>> acc = new LinkedHashMap<>();
        for (String t : targets) {
            Map<String, ForecastMetrics.Accumulator[]> byMethod = new LinkedHashMap<>();
            for (String m : methods) {
                ForecastMetrics.Accumulator[] a = new ForecastMetrics.Accumulator[h + 1];
                for (int i = 0; i <= h; i++) {
                    a[i] = new ForecastMetrics.Accumulator();
                }
                byMethod.put(m, a);
            }
            acc.put(t, byMethod);
        }
        List<Forecast> forecasts = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            SeriesTable.Series s = w.series().source();
            double[][] actual = new double[h][targets.size()];
            Map<String, double[][]> baselines = new LinkedHashMap<>();
            for (String b : Baselines.NAMES) {
                baselines.put(b, new double[h][targets.size()]);
            }
            for (int k = 0; k < targets.size(); k++) {
                float[] column = s.column(targets.get(k));
                double[] history = raw(column, w.origin() + 1);
                for (String b : Baselines.NAMES) {
                    double[] f = Baselines.forecast(b, history, h, season);
                    for (int step = 0; step < h; step++) {
                        baselines.get(b)[step][k] = f[step];
                    }
                }
                for (int step = 0; step < h; step++) {
                    actual[step][k] = column[w.origin() + 1 + step];
                    Map<String, ForecastMetrics.Accumulator[]> byMethod = acc.get(targets.get(k));
                    add(byMethod.get("unroll"), step, actual[step][k], model[i][step][k], scales.get(i)[k]);
                    for (String b : Baselines.NAMES) {
                        add(byMethod.get(b), step, actual[step][k], baselines.get(b)[step][k], scales.get(i)[k]);
                    }
                }
            }
            forecasts.add(new Forecast(s.id(), w.origin(), model[i], actual, baselines));
        }
        Map<String, Map<String, Metrics>> metrics = new LinkedHashMap<>();
        for (String t : targets) {
            Map<String, Metrics> byMethod = new LinkedHashMap<>();
            Map<String, Double> naive2 = acc.get(t).get("naive2")[h].values();
            List<Map<String, Double>> naive2Steps = new ArrayList<>();
            for (int step = 0; step < h; step++) {
                naive2Steps.add(acc.get(t).get("naive2")[step].values());
            }
            for (String m : methods) {
                ForecastMetrics.Accumulator[] a = acc.get(t).get(m);
                Map<String, Double> overall = withOwa(a[h].values(), naive2);
                List<Map<String, Double>> perStep = new ArrayList<>();
                for (int step = 0; step < h; step++) {
                    perStep.add(withOwa(a[step].values(), naive2Steps.get(step)));
                }
                byMethod.put(m, new Metrics(overall, perStep));
            }
            metrics.put(t, byMethod);
        }
        return new Result(metrics, forecasts, windows.size());
    }

    private static void add(ForecastMetrics.Accumulator[] a, int step, double actual, double forecast, double scale) {
        a[step].add(actual, forecast, scale);
        a[a.length - 1].add(actual, forecast, scale);
    }

    private static Map<String, Double> withOwa(Map<String, Double> metrics, Map<String, Double> naive2) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.put("owa", ForecastMetrics.owa(metrics, naive2));
        return m;
    }

    private static double[] raw(float[] column, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = column[i];
        }
        return v;
    }
}
