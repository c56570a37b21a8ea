package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    @TempDir
    static Path shared;
    static Path forecaster;
    static Path classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        forecaster = Models.forecaster(shared);
        classifier = Models.classifier(shared);
    }

    @Test
    void forecasterPredictsEveryPositionOfACsvSeries() throws IOException {
        Path csv = dir.resolve("series.csv");
        StringBuilder sb = new StringBuilder("t,value\n");
        for (int i = 0; i < 250; i++) {
            sb.append(i * 0.1).append(',').append(TimeSeries.value(i * 0.1)).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--column", "value",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        double mse = r.lastValue("mse");
        assertTrue(mse > 0 && Double.isFinite(mse), r::toString);
        assertTrue(r.out().contains("each prediction from the 20 values before it"), r::toString);

        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("index,value,prediction", rows.get(0));
        assertEquals(1 + 251, rows.size());
        assertTrue(rows.get(1).matches("0,0\\.0,"), rows.get(1));
        assertTrue(rows.get(2).matches("1,[0-9.E-]+,[0-9.E-]+"), rows.get(2));
        assertTrue(rows.get(251).matches("250,,[0-9.E-]+"), rows.get(251));
        // The MSE printed is the one of the table.
        double sum = 0;
        for (int i = 2; i < 251; i++) {
            String[] f = rows.get(i).split(",");
            double d = Double.parseDouble(f[2]) - Double.parseDouble(f[1]);
            sum += d * d;
        }
        assertEquals(sum / 249, mse, 1e-6 * Math.max(1, mse));
        ForecastCommandTest.assertPng(out.resolve("predictions.png"), 1200, 440);
    }

    @Test
    void shortSeriesGetsOnePanelAndShorterWindows() throws IOException {
        Path csv = dir.resolve("short.csv");
        Files.writeString(csv, "1\n2\n3\n4\n5\n");
        Path out = dir.resolve("short");
        Cli.Result r = Cli.run("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--window", "3",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(7, Files.readAllLines(out.resolve("predictions.csv")).size());
        ForecastCommandTest.assertPng(out.resolve("predictions.png"), 1000, 500);
    }

    @Test
    void classifierWithLabelsReportsAccuracy() throws IOException {
        Path data = shared.resolve("data");
        Path out = dir.resolve("labels");
        Cli.Result r = Cli.run("predict", "--model", classifier.toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte").toString(), "--labels", data.resolve("t10k-labels-idx1-ubyte").toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        double accuracy = r.lastValue("accuracy");
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("index,prediction,label", rows.get(0));
        assertEquals(31, rows.size());
        long hits = rows.stream().skip(1).map(l -> l.split(",")).filter(f -> f[1].equals(f[2])).count();
        assertEquals(hits / 30.0, accuracy, 1e-12);
    }

    @Test
    void classifierWithoutLabelsListsPredictions() throws IOException {
        Path data = shared.resolve("data");
        Path out = dir.resolve("nolabels");
        Cli.Result r = Cli.run("predict", "--model", classifier.toString(), "--images",
                data.resolve("train-images-idx3-ubyte.gz").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("predictions=60", r.lastLine());
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("index,prediction", rows.get(0));
        assertEquals(61, rows.size());
        assertTrue(rows.stream().skip(1).allMatch(l -> l.matches("\\d+,[012]")));
    }
}
