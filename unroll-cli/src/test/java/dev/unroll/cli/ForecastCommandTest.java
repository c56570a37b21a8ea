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
    void csvSeriesIsStandardizedAndEvaluatedOnItsHeldOutEnd() throws IOException {
        Path csv = dir.resolve("prices.csv");
        StringBuilder sb = new StringBuilder("day;price\n");
        for (int i = 0; i < 120; i++) {
            sb.append(i).append(';').append(1000 + 50 * Math.sin(i * 0.3)).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("csv-run");
        Cli.Result r = Cli.run("forecast", "--csv", csv.toString(), "--column", "price", "--steps", "10", "--iterations", "20",
                "--units", "8", "--batch", "8", "--cell", "gru", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("the first 96 to train on, the last 24 held out"), r::toString);
        assertTrue(r.out().contains("test MSE on 14 held-out windows"), r::toString);
        double mse = r.lastValue("mse");
        assertTrue(mse > 0 && mse < 1e6, r::toString);
        Map<String, String> meta = SafeTensors.read(out.resolve("model.safetensors")).metadata();
        assertEquals(1000, Double.parseDouble(meta.get(SavedModel.MEAN)), 10);
        assertTrue(Double.parseDouble(meta.get(SavedModel.STD)) > 10);
        assertEquals(csv.toString(), meta.get(SavedModel.SERIES));
        assertPng(out.resolve("series.png"), 1200, 440);
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
