package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Sequential;
import dev.unroll.train.Progress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed §11–§12 with 300 iterations of 16 neurons: trains, saves, restores, predicts. */
class TimeSeriesForecastTest {
    @TempDir
    Path dir;

    @Test
    void trainsSavesRestoresAndPredictsTheTestInstance() throws Exception {
        Path file = dir.resolve("forecast.safetensors");
        Printed printed = new Printed();
        TimeSeriesForecast.Result r = TimeSeriesForecast.run(new TimeSeriesForecast.Settings(300, 16, 0.01, 1, file), printed.out);
        TrainingAsserts.assertLossFalls(r.history());
        assertEquals(List.of(100L, 200L, 300L), r.history().stream().map(Progress::iteration).toList());
        // Predicting 0 would score the series' mean square, about 20.
        assertTrue(r.freshMse() < 2, "fresh-window MSE " + r.freshMse());
        Sequential reloaded = (Sequential) Checkpoint.load(file);
        var instance = TimeSeries.SEED.instance(TimeSeries.SEED_INSTANCE_START, 20).inputs();
        assertArrayEquals(new int[] {1, 20, 1}, r.prediction().shape());
        assertArrayEquals(r.prediction().toArray(), reloaded.predict(instance).toArray());
        assertTrue(printed.text().contains("300\tMSE: ") && printed.text().contains("12.200\t"), printed.text());
    }
}
