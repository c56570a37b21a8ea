package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Recurrent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed §14 on a small saved forecaster: four runs of 30 new values, and the CSV. */
class CreativeGenerationTest {
    @TempDir
    Path dir;

    @Test
    void generatesFromZerosAndFromRealValuesBothWays() throws Exception {
        Path model = dir.resolve("forecast.safetensors");
        Checkpoint.save(TimeSeriesForecast.model(8, 3), model);
        Path csv = dir.resolve("runs.csv");
        Printed printed = new Printed();
        List<CreativeGeneration.Run> runs = CreativeGeneration.run(new CreativeGeneration.Settings(model, 1, 30, 1, csv), printed.out);

        assertEquals(List.of("zeros_window", "zeros_stateful", "real_window", "real_stateful"),
                runs.stream().map(CreativeGeneration.Run::name).toList());
        float[] real = TimeSeries.SEED.values(10, 20);
        for (CreativeGeneration.Run run : runs) {
            assertEquals(50, run.values().length, run.name());
            assertArrayEquals(run.name().startsWith("zeros") ? new float[20] : real, Arrays.copyOf(run.values(), 20), run.name());
        }
        // Both ways first see the same 20 values from a zero state: their first new value agrees.
        assertEquals(runs.get(0).values()[20], runs.get(1).values()[20], 1e-5);
        assertEquals(runs.get(2).values()[20], runs.get(3).values()[20], 1e-5);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,t,zeros_window,zeros_stateful,real_window,real_stateful", lines.get(0));
        assertEquals(51, lines.size());
        assertTrue(printed.text().contains("loaded sequential("), printed.text());
    }

    @Test
    void aModelThatIsNotAForecasterIsRefused() throws Exception {
        Path model = dir.resolve("rnn.safetensors");
        Checkpoint.save(Recurrent.builder(CellType.RNN, 1, 4).build(), model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CreativeGeneration.run(new CreativeGeneration.Settings(model, 1, 5, 1, dir.resolve("x.csv")), new Printed().out));
        assertTrue(e.getMessage().contains("holds a recurrent model"), e.getMessage());
    }
}
