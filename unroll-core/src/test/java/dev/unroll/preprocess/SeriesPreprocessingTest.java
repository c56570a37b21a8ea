package dev.unroll.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.Calendar;
import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import dev.unroll.forecast.AirPassengers;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesPreprocessingTest {
    private static SeriesPreprocessing.Settings settings(boolean log, SeriesPreprocessing.Normalization n) {
        return new SeriesPreprocessing.Settings(List.of("value"), List.of(), Set.of(), 12, log, n,
                SeriesPreprocessing.Deseasonalize.AUTO, 1);
    }

    @Test
    void theTransformIsInvertedExactlyEnough() {
        for (SeriesPreprocessing.Normalization n : SeriesPreprocessing.Normalization.values()) {
            for (boolean log : new boolean[] {false, true}) {
                if (log && n == SeriesPreprocessing.Normalization.DIVIDE) {
                    continue;
                }
                SeriesTable.Series s = AirPassengers.series("air", 1);
                SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(s.head(120)), settings(log, n));
                SeriesPreprocessing.Prepared prepared = p.prepare(s, s.length());
                double level = prepared.level(0, 119);
                for (int row : new int[] {0, 57, 130, 143}) {
                    float z = prepared.normalize(0, prepared.target(0, row), level);
                    double back = prepared.denormalize(0, z, level, prepared.position(row));
                    assertEquals(AirPassengers.VALUES[row], back, 1e-4 * AirPassengers.VALUES[row], n + " log " + log + " row " + row);
                }
            }
        }
    }

    @Test
    void autoChoosesDivideForPositiveSeriesAndRemovesTheirSeason() {
        SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(AirPassengers.series("air", 1).head(120)), settings(false, null));
        assertEquals(SeriesPreprocessing.Normalization.DIVIDE, p.normalization());
        SeasonalProfile profile = p.state("air").profiles().get("value");
        assertEquals(12, profile.period());
        assertTrue(profile.multiplicative());
        SeriesPreprocessing logged = SeriesPreprocessing.fit(List.of(AirPassengers.series("air", 1).head(120)), settings(true, null));
        assertEquals(SeriesPreprocessing.Normalization.SUBTRACT, logged.normalization());
        assertFalse(logged.state("air").profiles().get("value").multiplicative(), "logs make the season additive");
        SeriesTable.Series negative = AirPassengers.series("neg", -1);
        assertEquals(SeriesPreprocessing.Normalization.SUBTRACT,
                SeriesPreprocessing.fit(List.of(negative.head(120)), settings(false, null)).normalization());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeriesPreprocessing.fit(List.of(negative.head(120)), settings(true, null)));
        assertTrue(e.getMessage().contains("logs need positive values"), e.getMessage());
    }

    @Test
    void savedAndLoadedItTransformsTheSame() {
        SeriesTable.Series s = AirPassengers.series("air", 1);
        SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(s.head(120)), settings(false, null));
        SeriesPreprocessing back = (SeriesPreprocessing) Preprocessing.fromMetadata(p.toMetadata());
        assertEquals(p.config(), back.config());
        SeriesPreprocessing.Prepared a = p.prepare(s, s.length());
        SeriesPreprocessing.Prepared b = back.prepare(s, s.length());
        for (int row = 0; row < s.length(); row++) {
            assertEquals(a.target(0, row), b.target(0, row));
        }
        assertNull(Preprocessing.fromMetadata(Map.of()));
        Map<String, String> future = new LinkedHashMap<>(p.toMetadata());
        future.put(Preprocessing.METADATA_KEY, future.get(Preprocessing.METADATA_KEY).replace("\"version\":1", "\"version\":2"));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromMetadata(future));
    }

    @Test
    void aSeriesNotSeenInTrainingIsFittedFromItsOwnHistory() {
        SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(AirPassengers.series("air", 1).head(120)), settings(false, null));
        SeriesTable.Series other = AirPassengers.series("other", 3);
        SeriesPreprocessing.Prepared prepared = p.prepare(other, 100);
        assertTrue(Double.isNaN(prepared.target(0, 100)), "rows past the observed ones have no target");
        // Fitted on its own first 100 steps, as another unseen series of the same shape would be: a
        // multiplicative profile does not depend on the scale.
        assertEquals(p.prepare(AirPassengers.series("unseen", 1), 100).target(0, 50) * 3, prepared.target(0, 50), 1e-3);
    }

    @Test
    void calendarCovariatesComeFromTheTimes() {
        int n = 72;
        double[] times = new double[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            times[i] = 1_699_999_200 + 3600.0 * i; // 2023-11-14T22:00Z, hourly
            v[i] = 10 + i % 24;
        }
        Map<String, float[]> columns = new LinkedHashMap<>();
        columns.put("load", v);
        SeriesTable.Series hourly = new SeriesTable.Series("h", TimeAxis.of(TimeAxis.Kind.DATE_TIME, times), columns, new int[n]);
        SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(hourly), new SeriesPreprocessing.Settings(List.of("load"), List.of(),
                EnumSet.of(Calendar.HOUR_OF_DAY), 24, false, null, SeriesPreprocessing.Deseasonalize.NEVER, 1));
        SeriesPreprocessing.Prepared prepared = p.prepare(hourly, n);
        assertEquals(3, p.stepFeatures());
        float[] c = prepared.covariates(0);
        double angle = 2 * Math.PI * hourly.time().dateTime(0).getHour() / 24.0;
        assertEquals(Math.sin(angle), c[0], 1e-6);
        assertEquals(Math.cos(angle), c[1], 1e-6);
        float[] next = prepared.covariatesAfterEnd(1);
        double afterEnd = 2 * Math.PI * ((hourly.time().dateTime(n - 1).getHour() + 1) % 24) / 24.0;
        assertEquals(Math.sin(afterEnd), next[0], 1e-6);
    }
}
