package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    static Path shared;
    static Path forecaster;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        forecaster = Models.forecaster(shared);
    }

    @Test
    void twoRunsFromZerosAndFromTheSeries() throws IOException {
        Path out = dir.resolve("window");
        Cli.Result r = Cli.run("generate", "--model", forecaster.toString(), "--count", "50", "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("generated=50", r.lastLine());
        List<String> rows = Files.readAllLines(out.resolve("generated.csv"));
        assertEquals("run,index,part,value", rows.get(0));
        assertEquals(1 + 2 * 70, rows.size());
        assertEquals("zeros,0,seed,0.0", rows.get(1));
        assertTrue(rows.get(21).startsWith("zeros,20,generated,"), rows.get(21));
        // The second run starts with the series' own values from t = 10.
        float first = (float) TimeSeries.value(GenerateCommand.SERIES_SEED_START);
        assertEquals("series,0,seed," + first, rows.get(71));
        assertTrue(rows.get(91).startsWith("series,20,generated,"), rows.get(91));
        ForecastCommandTest.assertPng(out.resolve("generation.png"), 1200, 440);
    }

    @Test
    void statefulModeFromACsvSeed() throws IOException {
        Path seed = dir.resolve("seed.csv");
        Files.writeString(seed, "value\n1.5\n2.5\n-1\n0.5\n");
        Path out = dir.resolve("stateful");
        Cli.Result r = Cli.run("generate", "--model", forecaster.toString(), "--mode", "stateful", "--count", "10",
                "--seed-csv", seed.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("(stateful)"), r::toString);
        List<String> rows = Files.readAllLines(out.resolve("generated.csv"));
        assertEquals(1 + 30 + 14, rows.size());
        assertEquals("series,0,seed,1.5", rows.get(31));
        assertEquals("series,3,seed,0.5", rows.get(34));
        assertTrue(rows.get(35).startsWith("series,4,generated,"), rows.get(35));
    }

    @Test
    void windowAndStatefulModesDiffer() throws IOException {
        Cli.Result window = Cli.run("generate", "--model", forecaster.toString(), "--count", "30", "--out",
                dir.resolve("w").toString());
        Cli.Result stateful = Cli.run("generate", "--model", forecaster.toString(), "--count", "30", "--mode", "stateful",
                "--out", dir.resolve("s").toString());
        assertEquals(0, window.exitCode(), window::toString);
        assertEquals(0, stateful.exitCode(), stateful::toString);
        List<String> w = Files.readAllLines(dir.resolve("w/generated.csv"));
        List<String> s = Files.readAllLines(dir.resolve("s/generated.csv"));
        // The first generated value sees the same 20 values either way (up to rounding: other kernels);
        // later the state covers more than the window.
        assertEquals(value(w.get(21)), value(s.get(21)), 1e-5);
        assertNotEquals(w.subList(22, 51), s.subList(22, 51));
    }

    private static double value(String row) {
        return Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
    }
}
