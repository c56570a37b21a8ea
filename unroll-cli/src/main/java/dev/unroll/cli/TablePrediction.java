package dev.unroll.cli;

import dev.unroll.data.SeriesTable;
import dev.unroll.forecast.ForecastMetrics;
import dev.unroll.forecast.ForecastTask;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.TableLayout;
import dev.unroll.forecast.Window;
import dev.unroll.io.Checkpoint;
import dev.unroll.preprocess.SeriesPreprocessing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code unroll predict} of a forecaster saved by {@code unroll forecast --csv}: reads a table the
 * way the model was trained to (its time, series-id and target columns by name, its missing-value
 * policy; known covariates for the horizon in rows after each series' last target value), and
 * forecasts the H steps after the end of each series — or after the origin {@code --from-end N}
 * steps before it, scored against the N actual values that follow.
 */
final class TablePrediction {
    private TablePrediction() {
    }

    /** True for a checkpoint that {@code unroll forecast --csv} saved. */
    static boolean applies(Checkpoint.Loaded loaded) {
        return loaded.metadata().containsKey(ForecastTask.METADATA_KEY);
    }

    static int run(PredictCommand command, Checkpoint.Loaded loaded, int fromEnd) throws IOException {
        PrintWriter out = command.main.console().out();
        Path file = command.modelFile;
        Forecaster forecaster = Forecaster.of(loaded, file.toString());
        SeriesPreprocessing.Settings settings = forecaster.preprocessing().settings();
        TableLayout table;
        try {
            table = TableLayout.fromMetadata(loaded.metadata());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        List<String> columns = new ArrayList<>(settings.targets());
        columns.addAll(settings.features());
        SeriesTable.Reader reader = SeriesTable.reader().time(table.time()).seriesId(table.seriesId())
                .columns(columns).futureRows(settings.targets()).missing(table.missing());
        List<SeriesTable.Series> series = reader.read(Inputs.file(command.csv)).series();
        int h = forecaster.task().horizon();
        List<Window> windows = new ArrayList<>();
        for (SeriesTable.Series s : series) {
            int observed = s.observed() - fromEnd;
            if (observed < 1) {
                throw new IOException(command.csv + ": series '" + s.id() + "' has " + s.observed() + " values; --from-end " + fromEnd
                        + " leaves none to forecast from");
            }
            windows.add(forecaster.endWindow(forecaster.preprocessing().prepare(s, observed)));
        }
        Outputs outputs = new Outputs();
        outputs.directory(command.outDir, "--out");
        long start = System.nanoTime();
        double[][][] forecasts = forecaster.forecast(windows);
        double seconds = (System.nanoTime() - start) / 1e9;

        boolean ids = table.seriesId() != null;
        StringBuilder csv = new StringBuilder(ids ? "series," : "");
        csv.append("time,step");
        for (String t : settings.targets()) {
            csv.append(',').append(t).append(",").append(t).append("_actual");
        }
        csv.append('\n');
        ForecastMetrics.Accumulator scored = new ForecastMetrics.Accumulator();
        List<double[]> actualFirst = new ArrayList<>();
        int[] origins = new int[series.size()];
        for (int i = 0; i < series.size(); i++) {
            SeriesTable.Series s = series.get(i);
            int origin = windows.get(i).origin();
            origins[i] = origin;
            double[] history = new double[origin + 1];
            float[] first = s.column(settings.targets().get(0));
            for (int r = 0; r <= origin; r++) {
                history[r] = first[r];
            }
            double scale = ForecastMetrics.maseScale(history, settings.season());
            List<Double> known = new ArrayList<>();
            for (int step = 0; step < h; step++) {
                int row = origin + 1 + step;
                double time = row < s.length() ? s.time().value(row) : s.time().after(row - s.length() + 1);
                if (ids) {
                    csv.append(quoted(s.id())).append(',');
                }
                csv.append(s.time().format(time)).append(',').append(step + 1);
                for (int k = 0; k < settings.targets().size(); k++) {
                    float[] actual = s.column(settings.targets().get(k));
                    boolean hasActual = row < s.observed();
                    csv.append(',').append((float) forecasts[i][step][k]).append(',').append(hasActual ? Float.toString(actual[row]) : "");
                    if (hasActual && k == 0) {
                        scored.add(actual[row], forecasts[i][step][0], scale);
                        known.add((double) actual[row]);
                    }
                }
                csv.append('\n');
            }
            actualFirst.add(known.stream().mapToDouble(Double::doubleValue).toArray());
        }
        Path csvOut = command.outDir.resolve("forecasts.csv");
        Outputs.writeText(csvOut, csv.toString());
        Path png = command.outDir.resolve("forecast.png");
        List<double[]> firstTargets = new ArrayList<>();
        for (double[][] f : forecasts) {
            double[] v = new double[h];
            for (int step = 0; step < h; step++) {
                v[step] = f[step][0];
            }
            firstTargets.add(v);
        }
        Outputs.writePng(png, SeriesPlots.prediction(settings.targets().get(0), series, origins, firstTargets, actualFirst));

        out.println("model: a forecaster of " + String.join(", ", settings.targets()) + ", " + h + " steps ahead ("
                + forecaster.model() + ")");
        out.println("series: " + series.size() + " in " + command.csv.getFileName() + (fromEnd > 0 ? ", forecast from " + fromEnd
                + " steps before the end of each" : ", forecast past the end of each"));
        for (int i = 0; i < Math.min(series.size(), 5); i++) {
            SeriesTable.Series s = series.get(i);
            out.println(String.format(Locale.ROOT, "  %s: %d steps after %s: %s ... %s", s.id().isEmpty() ? "series" : s.id(),
                    h, s.time().format(s.time().value(origins[i])), Format.number(forecasts[i][0][0]), Format.number(forecasts[i][h - 1][0])));
        }
        out.println("forecasts: " + csvOut + " (" + series.size() * h + " rows, " + Format.seconds(seconds) + ")");
        out.println("plot: " + png);
        if (scored.count() > 0) {
            Map<String, Double> m = scored.values();
            out.println("against the " + scored.count() + " actual values known: sMAPE " + Format.number(m.get("smape")) + ", MASE "
                    + Format.number(m.get("mase")) + ", MAE " + Format.number(m.get("mae")));
            out.println("smape=" + m.get("smape"));
        } else {
            out.println("forecasts=" + series.size() * h);
        }
        return 0;
    }

    private static String quoted(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
