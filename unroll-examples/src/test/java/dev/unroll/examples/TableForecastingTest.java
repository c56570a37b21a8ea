package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/forecasting.md's Java example on ten years of a trending, seasonal monthly series, 5 epochs of one network. */
class TableForecastingTest {
    @TempDir
    Path dir;

    @Test
    void forecastsTheHeldOutStepsAndPastTheEndInTheSeriesUnits() throws Exception {
        StringBuilder csv = new StringBuilder("time,value\n");
        for (int i = 0; i < 120; i++) {
            csv.append(LocalDate.of(2010, 1, 1).plusMonths(i)).append(',').append(300 + 0.5 * i + 5 * Math.sin(2 * Math.PI * i / 12))
                    .append('\n');
        }
        Path file = dir.resolve("series.csv");
        Files.writeString(file, csv);
        Printed printed = new Printed();
        TableForecasting.Result r = TableForecasting.run(new TableForecasting.Settings(file, 5, 1, dir.resolve("f.safetensors")),
                printed.out);
        assertTrue(r.smape() > 0 && r.smape() < 5, printed.text());
        assertEquals(18, r.forecast().length);
        // Past the end the trend has reached ~360 ± 5: forecasts in ppm, not in normalized units.
        for (double[] step : r.forecast()) {
            assertTrue(step[0] > 340 && step[0] < 380, printed.text());
        }
        assertTrue(printed.text().contains("held-out 18 steps: sMAPE ") && printed.text().contains("next 18 months: "), printed.text());
    }
}
