package dev.unroll.serve;

import static dev.unroll.serve.ModelServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.MissingValues;
import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import dev.unroll.forecast.ForecastSpec;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.Split;
import dev.unroll.forecast.TableLayout;
import dev.unroll.forecast.Window;
import dev.unroll.io.Checkpoint;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.train.TrainingListener;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A forecaster of tables behind a real server: series sent by column name (dates, a target, a
 * feature known ahead, a series id) are forecast with the bits of {@link Forecaster#forecast} on
 * the same rows, in the series' units, for a series seen in training and for a new one; a table
 * without time or id columns too; malformed series get 4xx errors naming the column.
 */
class TableServingTest {
    static final int HORIZON = 4;
    static final LocalDate START = LocalDate.of(2015, 1, 1);
    static Forecaster byDate;
    static Forecaster byRow;
    static ModelServer dated;
    static ModelServer plain;
    static Client d;
    static Client p;

    /** A monthly sales series with a season, a trend and a price that lowers sales, rows [0, n) of which the first {@code observed} are known. */
    static SeriesTable.Series store(String id, double level, int n, int observed, boolean dates) {
        double[] times = new double[n];
        float[] sales = new float[n];
        float[] price = new float[n];
        for (int i = 0; i < n; i++) {
            times[i] = START.plusMonths(i).toEpochDay() * 86_400.0;
            price[i] = (float) (3 + 0.5 * Math.sin(i * 0.7));
            sales[i] = i < observed ? (float) (level + 2 * i + 20 * Math.sin(2 * Math.PI * i / 12) - 10 * price[i] + (i * 7919 % 13) - 6)
                    : Float.NaN;
        }
        Map<String, float[]> columns = new LinkedHashMap<>();
        columns.put("sales", sales);
        columns.put("price", price);
        TimeAxis axis = dates ? TimeAxis.of(TimeAxis.Kind.DATE, times) : TimeAxis.index(n);
        return new SeriesTable.Series(id, axis, columns, new int[n], observed);
    }

    static Forecaster train(List<SeriesTable.Series> series) {
        SeriesPreprocessing.Settings settings = new SeriesPreprocessing.Settings(List.of("sales"), List.of("price"), Set.of(), 12, false, null,
                SeriesPreprocessing.Deseasonalize.AUTO, 1);
        ForecastSpec spec = ForecastSpec.builder(settings, HORIZON).lookback(12).units(8).epochs(3).ensemble(2).seed(3).build();
        return Forecaster.fit(series, Split.last(HORIZON, 0), spec, new TrainingListener() { }).forecaster();
    }

    /** Saved and served as `unroll serve` does it: checkpoint bytes with the table's layout, read back. */
    static ModelServer serve(Forecaster f, TableLayout layout) throws Exception {
        Map<String, String> metadata = new LinkedHashMap<>(f.metadata());
        metadata.putAll(layout.toMetadata());
        Checkpoint.Loaded loaded = Checkpoint.read(Checkpoint.toBytes(f.model(), metadata), "forecaster");
        return ModelServer.start(loaded, "forecaster", ServerOptions.builder().port(0).maxBatch(3).maxSteps(60).build());
    }

    @BeforeAll
    static void start() throws Exception {
        byDate = train(List.of(store("north", 200, 48, 48, true), store("south", 500, 48, 48, true)));
        byRow = train(List.of(store("", 200, 48, 48, false)));
        dated = serve(byDate, new TableLayout("date", "store", MissingValues.ERROR));
        plain = serve(byRow, TableLayout.PLAIN);
        d = new Client(dated.url());
        p = new Client(plain.url());
    }

    @AfterAll
    static void stop() {
        dated.stop();
        plain.stop();
    }

    /** A series as the request's object: its observed sales, every row's price (the horizon's included), dates and id when asked. */
    static String json(SeriesTable.Series s, boolean withTimeAndId) {
        StringJoiner fields = new StringJoiner(", ", "{", "}");
        if (withTimeAndId) {
            fields.add("\"store\": \"" + s.id() + "\"");
            StringJoiner dates = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < s.length(); i++) {
                dates.add("\"" + s.time().format(s.time().value(i)) + "\"");
            }
            fields.add("\"date\": " + dates);
        }
        fields.add("\"sales\": " + numbers(s.column("sales"), s.observed()));
        fields.add("\"price\": " + numbers(s.column("price"), s.length()));
        return fields.toString();
    }

    static String numbers(float[] v, int n) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add(Float.toString(v[i]));
        }
        return j.toString();
    }

    /** The library's own forecasts of the H steps after each series' last sales value, as floats in request order. */
    static float[] expected(Forecaster f, List<SeriesTable.Series> series) {
        List<Window> windows = new ArrayList<>();
        for (SeriesTable.Series s : series) {
            windows.add(f.endWindow(f.preprocessing().prepare(s, s.observed())));
        }
        double[][][] forecasts = f.forecast(windows);
        float[] out = new float[series.size() * HORIZON];
        for (int i = 0; i < series.size(); i++) {
            for (int step = 0; step < HORIZON; step++) {
                out[i * HORIZON + step] = (float) forecasts[i][step][0];
            }
        }
        return out;
    }

    @Test
    void forecastsSeriesByColumnNameWithTheForecastersBits() {
        // A known store from a later origin than training's, and a store never seen (fitted on the history it comes with).
        List<SeriesTable.Series> series = List.of(store("north", 200, 40 + HORIZON, 40, true), store("east", 350, 30 + HORIZON, 30, true));
        HttpResponse<String> r = d.post("/forecast", "{\"series\": [" + json(series.get(0), true) + ", " + json(series.get(1), true) + "]}");
        assertEquals(200, r.statusCode(), r.body());
        float[] expected = expected(byDate, series);
        assertArrayEquals(expected, Client.floats(r.body(), "forecasts"), r.body());
        for (float v : expected) {
            assertTrue(v > 100 && v < 700, "forecasts in the series' units, got " + v);
        }
        // Each forecast names its series and the months after its last sales value.
        assertTrue(r.body().startsWith("{\"forecasts\":[{\"store\":\"north\",\"date\":[\"" + START.plusMonths(40) + "\",\""
                + START.plusMonths(41) + "\""), r.body());
        assertTrue(r.body().contains("{\"store\":\"east\",\"date\":[\"" + START.plusMonths(30) + "\""), r.body());
        assertTrue(r.body().contains("\"sales\":["), r.body());

        // An explicit horizon equal to the model's is accepted.
        HttpResponse<String> same = d.post("/forecast", "{\"horizon\": " + HORIZON + ", \"series\": [" + json(series.get(0), true) + "]}");
        assertEquals(200, same.statusCode(), same.body());
        assertArrayEquals(java.util.Arrays.copyOf(expected, HORIZON), Client.floats(same.body(), "forecasts"));
    }

    @Test
    void aTableWithoutTimeOrIdColumnsTakesJustItsValues() {
        SeriesTable.Series s = store("", 200, 36 + HORIZON, 36, false);
        HttpResponse<String> r = p.post("/forecast", "{\"series\": [" + json(s, false) + "]}");
        assertEquals(200, r.statusCode(), r.body());
        assertArrayEquals(expected(byRow, List.of(s)), Client.floats(r.body(), "forecasts"));
        assertTrue(r.body().startsWith("{\"forecasts\":[{\"sales\":["), r.body());
        assertError(400, "unknown column 'store'", p.post("/forecast", "{\"series\": [" + json(store("x", 200, 40, 36, true), true) + "]}"));
    }

    @Test
    void healthNamesTheColumnsAndTheOtherEndpointsAreNotOffered() {
        HttpResponse<String> h = d.get("/health");
        assertEquals(200, h.statusCode(), h.body());
        for (String part : List.of("\"horizon\":" + HORIZON, "\"time\":\"date\"", "\"series_id\":\"store\"", "\"targets\":[\"sales\"]",
                "\"features\":[\"price\"]", "\"series_fitted\":2")) {
            assertTrue(h.body().contains(part), part + " in " + h.body());
        }
        assertTrue(p.get("/health").body().contains("\"time\":null,\"series_id\":null"), p.get("/health").body());
        assertError(404, "no endpoint /predict for a forecaster of tables", d.post("/predict", "{\"inputs\": [[[1]]]}"));
        assertError(404, "it answers POST /forecast", d.post("/sessions", "{}"));
        assertError(405, "this path takes POST", d.get("/forecast"));
        assertTrue(d.get("/metrics").body().contains("unroll_requests_total"));
    }

    @Test
    void malformedSeriesAreNamedAndTheServerGoesOn() {
        String ok = json(store("north", 200, 40 + HORIZON, 40, true), true);
        String dates40 = ok.substring(ok.indexOf("\"date\""), ok.indexOf("], \"sales\"") + 1);
        String price = ok.substring(ok.indexOf("\"price\""), ok.length() - 1);
        String sales = ok.substring(ok.indexOf("\"sales\""), ok.indexOf("], \"price\"") + 1);
        record Case(int status, String fragment, String body) {
        }
        List<Case> cases = List.of(
                new Case(400, "missing field 'series'", "{}"),
                new Case(400, "series: an empty array", "{\"series\": []}"),
                new Case(400, "series[0]: expected a series object", "{\"series\": [1]}"),
                new Case(400, "series[0]: no column price", "{\"series\": [{\"store\": \"a\", " + dates40 + ", " + sales + "}]}"),
                new Case(400, "series[0]: no column store", "{\"series\": [{" + dates40 + ", " + sales + ", " + price + "}]}"),
                new Case(400, "series[0]: unknown column 'promo'", "{\"series\": [{\"promo\": [1], " + ok.substring(1) + "]}"),
                new Case(400, "series[0].store: expected the series id", "{\"series\": [{\"store\": 3, " + ok.substring(ok.indexOf("\"date\"")) + "]}"),
                new Case(400, "series[0].price: 40 values; a feature needs one for each of the 40 steps of sales and of the " + HORIZON
                        + " steps forecast (" + (40 + HORIZON) + ")",
                        "{\"series\": [{\"store\": \"a\", " + dates40 + ", " + sales + ", \"price\": " + numbers(new float[40], 40) + "}]}"),
                new Case(400, "series[0].sales[2]: a missing value (null)", "{\"series\": [" + ok.replace("\"sales\": [", "\"sales\": [1, 2, null, ") + "]}"),
                new Case(400, "series[0].sales[0]: expected a number, got a string", "{\"series\": [" + ok.replace("\"sales\": [", "\"sales\": [\"1\", ") + "]}"),
                new Case(400, "series[0].date[1]: \\\"2015-01-01\\\" does not come after series[0].date[0]",
                        "{\"series\": [" + ok.replace("\"2015-02-01\"", "\"2015-01-01\"") + "]}"),
                new Case(400, "series[0].date[0]: \\\"January\\\" is not an ISO date", "{\"series\": [" + ok.replace("\"2015-01-01\"", "\"January\"") + "]}"),
                new Case(400, "series[0].date: 43 times; expected one per row, 44", "{\"series\": [" + ok.replace("\"2015-01-01\", ", "") + "]}"),
                new Case(400, "series[0]: series 'a' has 3 observed steps; the forecaster reads at least",
                        "{\"series\": [" + json(store("a", 200, 3 + HORIZON, 3, true), true) + "]}"),
                new Case(400, "horizon: 5; this forecaster was trained to forecast " + HORIZON, "{\"horizon\": 5, \"series\": [" + ok + "]}"),
                new Case(413, "series: more than 3 series (the limit, --max-batch)", "{\"series\": [" + ok + ", " + ok + ", " + ok + ", " + ok + "]}"),
                new Case(413, "series[0].date: more than " + (60 + HORIZON) + " times (the limit, --max-steps, and the horizon)",
                        "{\"series\": [" + json(store("a", 200, 61 + HORIZON, 61, true), true) + "]}"),
                new Case(413, "series[0].sales: more than 60 values (the limit, --max-steps)",
                        "{\"series\": [{\"sales\": " + numbers(new float[61], 61) + "}]}"),
                new Case(400, "malformed JSON", "{\"series\": [" + ok));
        for (Case c : cases) {
            assertError(c.status, c.fragment, d.post("/forecast", c.body));
        }
        HttpResponse<String> after = d.post("/forecast", "{\"series\": [" + ok + "]}");
        assertEquals(200, after.statusCode(), after.body());
    }
}
