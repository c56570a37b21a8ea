package dev.unroll.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.TableLayout;
import dev.unroll.forecast.Window;
import dev.unroll.preprocess.SeriesPreprocessing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /forecast} for a forecaster of tables ({@code unroll forecast --csv}): each series
 * comes as the table's columns, named as they were in training, and its forecast goes back in the
 * same form, in the series' units — the forecaster's saved preprocessing (logs, seasons, levels,
 * scaled features, calendar) is applied on the way in and undone on the way out, exactly as
 * {@code unroll predict --csv} does.
 *
 * <pre>
 *   {"series": [{"date": ["2024-01-01", …], "sales": [412.0, …], "price": [3.1, …], "store": "north"}, …]}
 *   → {"forecasts": [{"store": "north", "date": [the H times after the last target value], "sales": [H values]}, …]}
 * </pre>
 *
 * Targets hold the observed history; features (covariates known ahead) hold that many values and
 * the horizon's H more; the time column (when the model was trained with one) has a time for every
 * row, the horizon's included when there are features. The series-id column (when the model was
 * trained with one) names the series: a series seen in training keeps the values fitted on it
 * (season, scale, position), another is fitted on the history it comes with. Missing values
 * ({@code null}) are refused: fill them before sending.
 */
final class TableForecasts {
    private final Forecaster forecaster;
    private final TableLayout layout;
    private final SeriesPreprocessing.Settings settings;
    private final int maxSeries;
    private final int maxSteps;

    TableForecasts(Forecaster forecaster, TableLayout layout, ServerOptions options) {
        this.forecaster = forecaster;
        this.layout = layout;
        this.settings = forecaster.preprocessing().settings();
        this.maxSeries = options.maxBatch();
        this.maxSteps = options.maxSteps();
    }

    Forecaster forecaster() {
        return forecaster;
    }

    int horizon() {
        return forecaster.task().horizon();
    }

    /** A forecaster's words for the logs and {@code /health}. */
    String describe() {
        return "forecaster of " + String.join(", ", settings.targets()) + ", " + horizon() + " steps ahead ("
                + forecaster.model() + ")";
    }

    // ------------------------------------------------------------------ reading

    /** The {@code series} field: one to {@code --max-batch} series objects. */
    JsonBodies.Field field() {
        return new JsonBodies.Field("series", true) {
            @Override
            Object read(JsonParser p) throws IOException {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw ApiException.badRequest("series: expected an array of series objects " + expectedColumns() + ", got "
                            + JsonBodies.describe(p));
                }
                List<SeriesTable.Series> series = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (series.size() == maxSeries) {
                        throw ApiException.tooLarge("series: more than " + maxSeries + " series (the limit, --max-batch)");
                    }
                    series.add(readSeries(p, "series[" + series.size() + "]"));
                }
                if (series.isEmpty()) {
                    throw ApiException.badRequest("series: an empty array; expected at least one series");
                }
                return series;
            }
        };
    }

    private String expectedColumns() {
        List<String> names = new ArrayList<>();
        if (layout.time() != null) {
            names.add(layout.time() + ": [times]");
        }
        for (String t : settings.targets()) {
            names.add(t + ": [values]");
        }
        for (String f : settings.features()) {
            names.add(f + ": [values and the horizon's " + horizon() + "]");
        }
        if (layout.seriesId() != null) {
            names.add(layout.seriesId() + ": \"id\"");
        }
        return "{" + String.join(", ", names) + "}";
    }

    private SeriesTable.Series readSeries(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest(where + ": expected a series object " + expectedColumns() + ", got " + JsonBodies.describe(p));
        }
        String id = null;
        List<String> times = null;
        Map<String, float[]> columns = new LinkedHashMap<>();
        int h = horizon();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            String at = where + "." + name;
            if (name.equals(layout.seriesId())) {
                if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                    throw ApiException.badRequest(at + ": expected the series id, a non-empty string, got " + JsonBodies.describe(p));
                }
                id = p.getText();
            } else if (name.equals(layout.time())) {
                times = readTimes(p, at, maxSteps + h);
            } else if (settings.targets().contains(name)) {
                columns.put(name, readValues(p, at, maxSteps));
            } else if (settings.features().contains(name)) {
                columns.put(name, readValues(p, at, maxSteps + h));
            } else {
                throw ApiException.badRequest(where + ": unknown column '" + name + "'; the model reads " + expectedColumns());
            }
        }
        return toSeries(where, id, times, columns);
    }

    private static List<String> readTimes(JsonParser p, String at, int max) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest(at + ": expected an array of times (ISO dates, date-times or numbers), got " + JsonBodies.describe(p));
        }
        List<String> times = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (times.size() == max) {
                throw ApiException.tooLarge(at + ": more than " + max + " times (the limit, --max-steps, and the horizon)");
            }
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw ApiException.badRequest(at + "[" + times.size() + "]: expected a time (an ISO date, date-time or number), got "
                        + JsonBodies.describe(p));
            }
            times.add(p.getText());
        }
        return times;
    }

    private float[] readValues(JsonParser p, String at, int max) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest(at + ": expected an array of numbers, got " + JsonBodies.describe(p));
        }
        float[] v = new float[64];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (n == max) {
                throw ApiException.tooLarge(at + ": more than " + max + " values (the limit, --max-steps" + (max > maxSteps ? ", and the horizon"
                        : "") + ")");
            }
            if (t == JsonToken.VALUE_NULL) {
                throw ApiException.badRequest(at + "[" + n + "]: a missing value (null); the server takes complete series: fill it before sending");
            }
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw ApiException.badRequest(at + "[" + n + "]: expected a number, got " + JsonBodies.describe(p));
            }
            float x = p.getFloatValue();
            if (!Float.isFinite(x)) {
                throw ApiException.badRequest(at + "[" + n + "]: " + p.getText() + " is outside the range of finite floats");
            }
            if (n == v.length) {
                v = Arrays.copyOf(v, 2 * n);
            }
            v[n++] = x;
        }
        return Arrays.copyOf(v, n);
    }

    /** The series of one object, its sizes checked against each other: targets n values, features n + H, times one per row. */
    private SeriesTable.Series toSeries(String where, String id, List<String> times, Map<String, float[]> columns) {
        List<String> missing = new ArrayList<>();
        for (String c : settings.targets()) {
            if (!columns.containsKey(c)) {
                missing.add(c);
            }
        }
        for (String c : settings.features()) {
            if (!columns.containsKey(c)) {
                missing.add(c);
            }
        }
        if (layout.time() != null && times == null) {
            missing.add(layout.time());
        }
        if (layout.seriesId() != null && id == null) {
            missing.add(layout.seriesId());
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest(where + ": no column " + String.join(", ", missing) + "; the model reads " + expectedColumns());
        }
        String first = settings.targets().get(0);
        int observed = columns.get(first).length;
        if (observed == 0) {
            throw ApiException.badRequest(where + "." + first + ": an empty array; expected the series' history");
        }
        for (String c : settings.targets()) {
            int n = columns.get(c).length;
            if (n != observed) {
                throw ApiException.badRequest(where + "." + c + ": " + values(n) + ", but " + first + " has " + observed
                        + " (targets share their rows)");
            }
            if (settings.log()) {
                float[] v = columns.get(c);
                for (int i = 0; i < n; i++) {
                    if (!(v[i] > 0)) {
                        throw ApiException.badRequest(where + "." + c + "[" + i + "]: " + v[i] + "; the model takes logs of its targets, so"
                                + " they must be positive");
                    }
                }
            }
        }
        int h = horizon();
        int rows = settings.features().isEmpty() ? observed : observed + h;
        for (String c : settings.features()) {
            int n = columns.get(c).length;
            if (n != rows) {
                throw ApiException.badRequest(where + "." + c + ": " + values(n) + "; a feature needs one for each of the " + observed
                        + " steps of " + first + " and of the " + h + " steps forecast (" + rows + ")");
            }
        }
        TimeAxis axis;
        if (layout.time() == null) {
            axis = TimeAxis.index(rows);
        } else {
            if (times.size() != rows) {
                throw ApiException.badRequest(where + "." + layout.time() + ": " + times.size() + (times.size() == 1 ? " time" : " times") + "; expected one per row, " + rows
                        + (rows > observed ? " (the " + observed + " of " + first + " and the horizon's " + h + ", for the features)" : ""));
            }
            try {
                axis = TimeAxis.parse(times, where + "." + layout.time());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (!settings.calendar().isEmpty() && !axis.isCalendar()) {
                throw ApiException.badRequest(where + "." + layout.time() + ": plain numbers; the model's calendar covariates "
                        + settings.calendar() + " need ISO dates or date-times");
            }
        }
        Map<String, float[]> all = new LinkedHashMap<>();
        for (String c : settings.targets()) {
            float[] v = Arrays.copyOf(columns.get(c), rows);
            Arrays.fill(v, observed, rows, Float.NaN);
            all.put(c, v);
        }
        for (String c : settings.features()) {
            all.put(c, columns.get(c));
        }
        int[] lines = new int[rows];
        for (int i = 0; i < rows; i++) {
            lines[i] = i;
        }
        return new SeriesTable.Series(id == null ? "" : id, axis, all, lines, observed);
    }

    private static String values(int n) {
        return n == 1 ? "1 value" : n + " values";
    }

    /** Row-steps a request costs (for where it runs): every member reads every row and the horizon. */
    long rowSteps(List<SeriesTable.Series> series) {
        long steps = 0;
        for (SeriesTable.Series s : series) {
            steps += s.observed() + (long) horizon();
        }
        return steps * forecaster.members().size();
    }

    // ------------------------------------------------------------------ forecasting

    /** The forecasts of each series after its last target value, as a reply body. */
    byte[] forecast(List<SeriesTable.Series> series) {
        List<Window> windows = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            SeriesTable.Series s = series.get(i);
            try {
                windows.add(forecaster.endWindow(forecaster.preprocessing().prepare(s, s.observed())));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("series[" + i + "]: " + e.getMessage());
            }
        }
        double[][][] forecasts = forecaster.forecast(windows);
        int h = horizon();
        return new JsonBodies.Writer().objects("forecasts", series.size(), (w, i) -> {
            SeriesTable.Series s = series.get(i);
            if (layout.seriesId() != null) {
                w.text(layout.seriesId(), s.id());
            }
            if (layout.time() != null) {
                TimeAxis time = s.time();
                double[] at = new double[h];
                List<String> text = new ArrayList<>(h);
                for (int step = 0; step < h; step++) {
                    int row = s.observed() + step;
                    at[step] = row < s.length() ? time.value(row) : time.after(row - s.length() + 1);
                    text.add(time.format(at[step]));
                }
                if (time.isCalendar()) {
                    w.strings(layout.time(), text);
                } else {
                    w.numbers(layout.time(), at);
                }
            }
            for (int k = 0; k < settings.targets().size(); k++) {
                float[] v = new float[h];
                for (int step = 0; step < h; step++) {
                    v[step] = (float) forecasts[i][step][k];
                }
                w.floats(settings.targets().get(k), v, 0, h);
            }
        }).toBytes();
    }

    /** {@code GET /health}'s body. */
    byte[] health() {
        return new JsonBodies.Writer().text("status", "ok").text("model", forecaster.model().toString())
                .text("forecaster", String.join(", ", settings.targets()) + ", " + horizon() + " steps ahead")
                .number("horizon", horizon()).number("lookback", forecaster.task().lookback())
                .optionalText("time", layout.time()).optionalText("series_id", layout.seriesId())
                .strings("targets", settings.targets()).strings("features", settings.features())
                .number("series_fitted", forecaster.preprocessing().seriesIds().size()).toBytes();
    }
}
