package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.forecast.Forecaster;
import dev.unroll.io.Checkpoint;
import dev.unroll.io.Json;
import dev.unroll.serve.ModelServer;
import dev.unroll.serve.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forecaster saved by {@code forecast --csv} predicts through {@code predict}, with the numbers the command and the Java API give. */
class TablePredictionTest {
    @TempDir
    static Path shared;
    static Path table;
    static Path model;
    static Path report;

    @TempDir
    Path dir;

    /** Two stores, monthly, with a known promotion covariate; rows for the 3 months ahead hold only the promotion. */
    @BeforeAll
    static void train() throws IOException {
        table = shared.resolve("stores.csv");
        Files.writeString(table, stores(true, 3));
        Path out = shared.resolve("run");
        report = out.resolve("report.json");
        Cli.Result r = Cli.run("forecast", "--csv", table.toString(), "--time", "month", "--series-id", "store", "--target", "sales",
                "--features", "promo", "--horizon", "3", "--season", "12", "--test-last", "3", "--missing", "forward-fill",
                "--ensemble", "2", "--epochs", "4", "--units", "8", "--threads", "1", "--out", out.toString(), "--report", report.toString());
        assertEquals(0, r.exitCode(), r::toString);
        model = out.resolve("model.safetensors");
    }

    /** Store a, then store b (ten times larger), 60 months; {@code future} months more of promotions only. */
    static String stores(boolean salesFirst, int future) {
        StringBuilder sb = new StringBuilder(salesFirst ? "store,month,sales,promo\n" : "promo,store,month,sales\n");
        for (String store : List.of("a", "b")) {
            double scale = store.equals("a") ? 1 : 10;
            java.time.LocalDate m = java.time.LocalDate.of(2019, 1, 1);
            for (int i = 0; i < 60 + future; i++) {
                int promo = i % 5 == 0 ? 1 : 0;
                String sales = i < 60 ? Double.toString(scale * (100 + i + 20 * Math.sin(2 * Math.PI * i / 12) + 15 * promo)) : "";
                String month = m.plusMonths(i).toString();
                sb.append(salesFirst ? store + "," + month + "," + sales + "," + promo : promo + "," + store + "," + month + "," + sales)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void forecastsPastTheEndOfEachSeriesWithTheHorizonsCovariates() throws IOException {
        Path out = dir.resolve("p");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", table.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(6, r.lastValue("forecasts"));
        List<String> csv = Files.readAllLines(out.resolve("forecasts.csv"));
        assertEquals("series,time,step,sales,sales_actual", csv.get(0));
        assertTrue(csv.get(1).startsWith("a,2024-01-01,1,"), csv.get(1));
        assertTrue(csv.get(4).startsWith("b,2024-01-01,1,"), csv.get(4));
        assertTrue(Files.size(out.resolve("forecast.png")) > 1000);
    }

    @Test
    void theCommandTheJavaApiAndPredictGiveTheSameNumbers() throws IOException {
        // The test forecasts of `forecast` (from 3 months before the end), from its report ...
        Map<String, Object> json = Json.parseObject(Files.readString(report));
        List<?> series = (List<?>) ((Map<?, ?>) json.get("test")).get("series");
        // ... predict's from the same origin, from a table whose columns come in another order ...
        Path reordered = dir.resolve("reordered.csv");
        Files.writeString(reordered, stores(false, 0));
        Path out = dir.resolve("p");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", reordered.toString(), "--from-end", "3", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> csv = Files.readAllLines(out.resolve("forecasts.csv"));
        // ... and the Java API's.
        Forecaster f = Forecaster.load(model);
        var table = dev.unroll.data.SeriesTable.reader().time("month").seriesId("store").columns(List.of("sales", "promo"))
                .read(reordered);
        for (int s = 0; s < 2; s++) {
            List<?> fromCommand = (List<?>) ((Map<?, ?>) series.get(s)).get("forecast");
            double[][] fromApi = f.forecastEnd(f.preprocessing().prepare(table.series().get(s), 57));
            for (int step = 0; step < 3; step++) {
                double v = ((Number) fromCommand.get(step)).doubleValue();
                assertEquals(v, fromApi[step][0], 0.0, "series " + s + " step " + step);
                assertEquals((float) v, Float.parseFloat(csv.get(1 + 3 * s + step).split(",")[3]), "predict's CSV");
            }
        }
        double smape = ((Number) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) json.get("test")).get("metrics")).get("unroll")).get("smape"))
                .doubleValue();
        assertEquals(smape, r.lastValue("smape"), 1e-12);
    }

    @Test
    void theServerAnswersWhatPredictWrites() throws Exception {
        Path out = dir.resolve("p");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", table.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> csv = Files.readAllLines(out.resolve("forecasts.csv"));
        // The same table as the server takes it: each store's columns by name, promotions for the 3 months ahead included.
        StringBuilder body = new StringBuilder("{\"series\": [");
        for (String store : List.of("a", "b")) {
            List<String[]> rows = Files.readAllLines(table).stream().skip(1).map(l -> l.split(",", -1)).filter(c -> c[0].equals(store)).toList();
            body.append(store.equals("a") ? "" : ", ").append("{\"store\": \"").append(store).append("\", \"month\": [")
                    .append(String.join(", ", rows.stream().map(c -> "\"" + c[1] + "\"").toList())).append("], \"sales\": [")
                    .append(String.join(", ", rows.stream().filter(c -> !c[2].isEmpty()).map(c -> c[2]).toList())).append("], \"promo\": [")
                    .append(String.join(", ", rows.stream().map(c -> c[3]).toList())).append("]}");
        }
        body.append("]}");
        try (ModelServer server = ModelServer.start(Checkpoint.read(model), model.toString(), ServerOptions.builder().port(0).build())) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/forecast"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            StringBuilder expected = new StringBuilder("{\"forecasts\":[");
            for (int s = 0; s < 2; s++) {
                List<String[]> rows = csv.subList(1 + 3 * s, 4 + 3 * s).stream().map(l -> l.split(",")).toList();
                expected.append(s == 0 ? "" : ",").append("{\"store\":\"").append(rows.get(0)[0]).append("\",\"month\":[")
                        .append(String.join(",", rows.stream().map(c -> "\"" + c[1] + "\"").toList())).append("],\"sales\":[")
                        .append(String.join(",", rows.stream().map(c -> c[3]).toList())).append("]}");
            }
            assertEquals(expected.append("]}").toString(), answer.body());
        }
    }

    @Test
    void aTableWithoutTheModelsColumnsIsAClearError() throws IOException {
        Path missing = dir.resolve("missing.csv");
        Files.writeString(missing, "store,month,sales\na,2024-01-01,3\n");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--csv", missing.toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("no numeric column named \"promo\"; the header has 3: store, month, sales"), r::toString);
        Path noFuture = dir.resolve("no-future.csv");
        Files.writeString(noFuture, stores(true, 0));
        r = Cli.run("predict", "--model", model.toString(), "--csv", noFuture.toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("needs the features [promo] for each of them, in rows after the last value of the target;"
                + " the table has 0"), r::toString);
    }
}
