package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Json;
import dev.unroll.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastCommandTest {
    @TempDir
    Path dir;

    @Test
    void generatedSeriesEndToEnd() throws IOException {
        Path out = dir.resolve("run");
        Path report = dir.resolve("reports/forecast.json");
        Cli.Result r = Cli.run("forecast", "--iterations", "30", "--units", "8", "--print-every", "10", "--threads", "1",
                "--out", out.toString(), "--report", report.toString());
        assertEquals(0, r.exitCode(), r::toString);

        double mse = r.lastValue("mse");
        assertTrue(mse > 0 && Double.isFinite(mse), r::toString);
        List<String> lines = r.outLines();
        assertEquals(3, lines.stream().filter(l -> l.startsWith("iteration ")).count(), r::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("iteration 30/30  train_mse [0-9.e+-]+  [0-9.]+ s")), r::toString);
        assertTrue(r.out().contains("test MSE on 1000 fresh random windows"), r::toString);

        assertPng(out.resolve("series.png"), 1200, 440);
        assertPng(out.resolve("prediction.png"), 800, 500);
        Map<String, String> meta = SafeTensors.read(out.resolve("model.safetensors")).metadata();
        assertEquals("20", meta.get(SavedModel.WINDOW));
        assertEquals(SavedModel.SERIES_GENERATED, meta.get(SavedModel.SERIES));
        assertNotNull(meta.get("unroll.model"));

        Map<String, Object> json = Json.parseObject(Files.readString(report));
        assertEquals("forecast", json.get("command"));
        Map<?, ?> config = (Map<?, ?>) json.get("configuration");
        assertEquals(8L, config.get("units"));
        assertEquals(30L, config.get("iterations"));
        assertEquals("relu", config.get("activation"));
        assertEquals(3, ((List<?>) json.get("history")).size());
        assertEquals(mse, ((Number) ((Map<?, ?>) json.get("final")).get("mse")).doubleValue(), 1e-12);
        Map<?, ?> env = (Map<?, ?>) json.get("environment");
        assertEquals(1L, env.get("threads"));
        assertNotNull(env.get("simd_provider"));
        assertNotNull(env.get("jvm"));
        assertNotNull(json.get("unroll_version"));
        assertTrue(((Number) ((Map<?, ?>) json.get("timings")).get("train_seconds")).doubleValue() > 0);
    }

    @Test
    void aTableIsForecastHStepsAheadAndJudgedAgainstTheBaselines() throws IOException {
        Path csv = dir.resolve("sales.csv");
        StringBuilder sb = new StringBuilder("date;price;sales\n");
        java.time.LocalDate d = java.time.LocalDate.of(2015, 1, 1);
        for (int i = 0; i < 96; i++) {
            sb.append(d.plusMonths(i)).append(';').append(10 + i % 3).append(';')
                    .append(1000 + 5 * i + 80 * Math.sin(2 * Math.PI * i / 12)).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("table-run");
        Path report = out.resolve("report.json");
        Cli.Result r = Cli.run("forecast", "--csv", csv.toString(), "--time", "date", "--target", "sales", "--horizon", "6", "--season",
                "12", "--test-last", "6", "--ensemble", "2", "--epochs", "5", "--units", "8", "--threads", "1", "--out", out.toString(),
                "--report", report.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("sales.csv: 1 series, 96 steps, monthly; columns sales"), r::toString);
        assertTrue(r.out().contains("split: the last 6 steps for testing, the 0 before for validation, the first 90 for training"),
                r::toString);
        assertTrue(r.out().contains("seasonal profile of period 12 removed from 1 of 1 target series"), r::toString);
        for (String method : List.of("unroll", "naive", "snaive", "drift", "naive2")) {
            assertTrue(r.outLines().stream().anyMatch(l -> l.trim().startsWith(method + " ")), method + ": " + r);
        }
        double smape = r.lastValue("smape");
        assertTrue(smape > 0 && smape < 20, r::toString);
        assertPng(out.resolve("forecast.png"), 1000, 500);
        assertPng(out.resolve("error-by-horizon.png"), 900, 500);

        Map<String, Object> json = Json.parseObject(Files.readString(report));
        Map<?, ?> test = (Map<?, ?>) json.get("test");
        List<?> series = (List<?>) test.get("series");
        assertEquals(1, series.size());
        Map<?, ?> first = (Map<?, ?>) series.get(0);
        assertEquals(6, ((List<?>) first.get("forecast")).size());
        assertEquals("2022-07-01", ((List<?>) first.get("times")).get(0));
        double last = ((Number) ((List<?>) first.get("actual")).get(5)).doubleValue();
        assertEquals(1000 + 5 * 95 + 80 * Math.sin(2 * Math.PI * 95 / 12), last, 1e-3);
        Map<?, ?> metrics = (Map<?, ?>) test.get("metrics");
        assertEquals(smape, ((Number) ((Map<?, ?>) metrics.get("unroll")).get("smape")).doubleValue(), 1e-12);
        assertEquals(1.0, ((Number) ((Map<?, ?>) metrics.get("naive2")).get("owa")).doubleValue(), 1e-12);
        assertEquals(6, ((List<?>) ((Map<?, ?>) ((Map<?, ?>) test.get("per_horizon")).get("sales")).get("unroll")).size());

        Map<String, String> meta = SafeTensors.read(out.resolve("model.safetensors")).metadata();
        assertTrue(meta.containsKey("unroll.preprocessing") && meta.containsKey("unroll.task"), meta.keySet().toString());
        assertEquals(Map.of("time", "date", "missing", "error"), withoutNulls(Json.parseObject(meta.get(dev.unroll.forecast.TableLayout.METADATA_KEY))));

        // inspect says what the saved preprocessing and task are, in words.
        Cli.Result inspected = Cli.run("inspect", out.resolve("model.safetensors").toString());
        assertEquals(0, inspected.exitCode(), inspected::toString);
        assertTrue(inspected.out().contains("task: table forecaster of sales: 6 steps ahead, direct, lookback"), inspected::toString);
        assertTrue(inspected.out().contains("preprocessing: each window divided by its level; seasonal profile of period 12 removed"
                + " from 1 of 1 target series; fitted on 1 series"), inspected::toString);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(m);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    @Test
    void saveOptionPutsTheModelElsewhere() {
        Path model = dir.resolve("models/tiny.safetensors");
        Cli.Result r = Cli.run("forecast", "--iterations", "5", "--units", "4", "--cell", "lstm", "--threads", "1",
                "--out", dir.resolve("o").toString(), "--save", model.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.isRegularFile(model));
        assertFalse(Files.exists(dir.resolve("o/model.safetensors")));
    }

    static void assertPng(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not an image");
        assertEquals(width, img.getWidth(), file::toString);
        assertEquals(height, img.getHeight(), file::toString);
    }
}
