package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Json;
import dev.unroll.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsPrintsAnEpochLineEachAndSavesModelPlotAndReport() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 90, 30);
        Path out = dir.resolve("run");
        Path report = out.resolve("report.json");
        Cli.Result r = Cli.run("classify", "--data", data.toString(), "--epochs", "6", "--units", "16", "--batch", "10",
                "--lr", "0.01", "--threads", "1", "--out", out.toString(), "--report", report.toString());
        assertEquals(0, r.exitCode(), r::toString);

        assertTrue(r.out().contains("90 training and 30 test images of 6x6 (6 steps of 6 features), 3 classes"), r::toString);
        List<String> epochs = r.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(6, epochs.size(), r::toString);
        for (String line : epochs) {
            assertTrue(line.matches("epoch [1-6]/6  loss [0-9.]+  train_accuracy [0-9.]+  test_accuracy [0-9.]+  [0-9.]+ s"), line);
        }
        double accuracy = r.lastValue("test_accuracy");
        // The bar's row gives the class away: a few epochs learn it.
        assertTrue(accuracy >= 0.9, r::toString);

        assertEquals("classifier", SafeTensors.read(out.resolve("model.safetensors")).metadata().get(SavedModel.TASK));
        ForecastCommandTest.assertPng(out.resolve("learning-curves.png"), 1200, 440);
        Map<String, Object> json = Json.parseObject(Files.readString(report));
        assertEquals("classify", json.get("command"));
        List<?> history = (List<?>) json.get("history");
        assertEquals(6, history.size());
        assertEquals(6L, ((Map<?, ?>) history.get(5)).get("epoch"));
        assertEquals(accuracy, ((Number) ((Map<?, ?>) json.get("final")).get("test_accuracy")).doubleValue(), 1e-12);
        assertEquals(90L, ((Map<?, ?>) json.get("configuration")).get("train_images"));
        assertTrue(((Number) ((Map<?, ?>) json.get("timings")).get("seconds_per_epoch")).doubleValue() > 0);
    }

    @Test
    void subsetsAreRandomNotTheFirstImages() throws IOException {
        // Sorted by class, as the MNIST-digits training file: the first 20 would all be class 0.
        Path data = dir.resolve("sorted");
        Files.createDirectories(data);
        int[] labels = new int[60];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / 20;
        }
        Files.write(data.resolve("train-images-idx3-ubyte"), IdxFiles.images(60, 6, 6, IdxFiles.syntheticPixels(labels, 3)));
        Files.write(data.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(labels));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(60, 6, 6, IdxFiles.syntheticPixels(labels, 4)));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(labels));
        Path out = dir.resolve("subset");
        Cli.Result r = Cli.run("classify", "--data", data.toString(), "--epochs", "4", "--units", "16", "--batch", "5",
                "--lr", "0.01", "--train-size", "20", "--test-size", "15", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("20 training and 15 test images"), r::toString);
        // Trained on class 0 only, it could not beat a third.
        assertTrue(r.lastValue("test_accuracy") > 0.5, r::toString);
    }

    @Test
    void lstmWithTwoLayers() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 30, 9);
        Cli.Result r = Cli.run("classify", "--data", data.toString(), "--epochs", "1", "--units", "4", "--layers", "2",
                "--cell", "lstm", "--batch", "10", "--threads", "1", "--out", dir.resolve("lstm").toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("lstm(6 -> 4, layers 2)"), r::toString);
        double accuracy = r.lastValue("test_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1);
    }
}
