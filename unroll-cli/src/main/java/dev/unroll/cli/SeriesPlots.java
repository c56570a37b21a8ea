package dev.unroll.cli;

import dev.unroll.data.SeriesTable;
import dev.unroll.forecast.Backtest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * The plots of forecasts over a table's series: a forecast against its history and actuals, and
 * the error of each method by horizon step. Positions are steps from the series' start (the times
 * are in the CSV files the commands write).
 */
final class SeriesPlots {
    /** History steps shown before a forecast: this many horizons, at least. */
    private static final int HISTORY_HORIZONS = 4;

    private SeriesPlots() {
    }

    /**
     * {@code forecast}: the last test forecast of the first series (history, actuals, Unroll, Naive2,
     * seasonal naive); {@code horizon}: sMAPE by step for Unroll and the baselines.
     */
    static void writeTest(Path forecastPng, Path horizonPng, Backtest.Result test, List<SeriesTable.Series> series, String target,
                          int horizon) throws IOException {
        Backtest.Forecast last = null;
        for (Backtest.Forecast f : test.forecasts()) {
            if (f.series().equals(series.get(0).id()) && (last == null || f.origin() > last.origin())) {
                last = f;
            }
        }
        SeriesTable.Series s = series.get(0);
        float[] values = s.column(target);
        int k = 0;
        String title = "Forecast of " + target + (s.id().isEmpty() ? "" : " (" + s.id() + ")") + " from step " + last.origin()
                + " (" + s.time().format(s.time().value(last.origin())) + ")";
        XYChart c = forecastChart(title, values, last.origin() + 1, horizon);
        double[] x = Plots.range(last.origin() + 1, last.origin() + 1 + horizon);
        Plots.line(c, "actual", x, column(last.actual(), k), Plots.GREY, 2f);
        Plots.line(c, "naive2", x, column(last.baselines().get("naive2"), k), Plots.GREEN, 1.5f);
        Plots.line(c, "seasonal naive", x, column(last.baselines().get("snaive"), k), Plots.ORANGE, 1.5f);
        Plots.line(c, "unroll", x, column(last.values(), k), Plots.RED, 2.5f);
        Outputs.writePng(forecastPng, Plots.render(c));

        XYChart h = Plots.chart("sMAPE by horizon step, " + test.origins() + " forecast" + (test.origins() == 1 ? "" : "s") + " (" + target + ")",
                "Steps ahead", "sMAPE (%)", 900, 500);
        double[] steps = Plots.range(1, horizon + 1);
        Map<String, Backtest.Metrics> metrics = test.metrics().get(target);
        java.awt.Color[] colors = {Plots.RED, Plots.BLUE, Plots.ORANGE, Plots.GREY, Plots.GREEN};
        int i = 0;
        for (Map.Entry<String, Backtest.Metrics> e : metrics.entrySet()) {
            double[] y = new double[horizon];
            for (int step = 0; step < horizon; step++) {
                y[step] = e.getValue().perStep().get(step).get("smape");
            }
            Plots.line(h, e.getKey(), steps, y, colors[i++ % colors.length], e.getKey().equals("unroll") ? 2.5f : 1.5f);
        }
        h.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        Outputs.writePng(horizonPng, Plots.render(h));
    }

    /**
     * {@code predict}'s plot: the recent history of each series' first target, its forecast, and
     * the actual values where the table has them.
     *
     * @param origins  the row of each series' last observed step
     * @param forecast per series, {@code [step]} of the first target
     * @param actual   per series, the actual values after the origin (as many as known, maybe none)
     */
    static BufferedImage prediction(String target, List<SeriesTable.Series> series, int[] origins, List<double[]> forecast,
                                    List<double[]> actual) {
        SeriesTable.Series s = series.get(0);
        int horizon = forecast.get(0).length;
        XYChart c = forecastChart("Forecast of " + target + (s.id().isEmpty() ? "" : " (" + s.id() + ")") + ", " + horizon + " steps after "
                + s.time().format(s.time().value(origins[0])), s.column(target), origins[0] + 1, horizon);
        if (actual.get(0).length > 0) {
            Plots.line(c, "actual", Plots.range(origins[0] + 1, origins[0] + 1 + actual.get(0).length), actual.get(0), Plots.GREY, 2f);
        }
        Plots.line(c, "forecast", Plots.range(origins[0] + 1, origins[0] + 1 + horizon), forecast.get(0), Plots.RED, 2.5f);
        return Plots.render(c);
    }

    /** A chart with the history before {@code end} (several horizons of it) drawn. */
    private static XYChart forecastChart(String title, float[] values, int end, int horizon) {
        XYChart c = Plots.chart(title, "Step", "Value", 1000, 500);
        int from = Math.max(0, end - Math.max(HISTORY_HORIZONS * horizon, 48));
        double[] y = new double[end - from];
        for (int i = 0; i < y.length; i++) {
            y[i] = values[from + i];
        }
        Plots.line(c, "history", Plots.range(from, end), y, Plots.BLUE, 1.5f);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return c;
    }

    private static double[] column(double[][] values, int k) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i][k];
        }
        return out;
    }

    static List<double[]> firstTargets(List<double[][]> forecasts) {
        List<double[]> out = new ArrayList<>();
        for (double[][] f : forecasts) {
            out.add(column(f, 0));
        }
        return out;
    }
}
