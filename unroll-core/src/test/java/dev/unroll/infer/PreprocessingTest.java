package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preprocessing a checkpoint's metadata records: the command line's forecaster entries today. */
class PreprocessingTest {

    @Test
    void theCommandLinesForecasterEntriesAreAStandardizationWithAWindow() {
        Preprocessing p = Preprocessing.fromMetadata(Map.of(Standardization.MEAN_KEY, "2.0", Standardization.STD_KEY, "0.5",
                Standardization.WINDOW_KEY, "20", "unroll.cli.task", "forecaster"));
        assertEquals(20, p.window());
        float[] v = {3f, 1f};
        p.encode(v, 0, 2, 1);
        assertArrayEquals(new float[] {2f, -2f}, v);
        p.decode(v, 1, 1, 1);
        assertArrayEquals(new float[] {2f, 1f}, v);
        assertEquals(new Standardization(2.0, 0.5).metadata(), Map.of(Standardization.MEAN_KEY, "2.0", Standardization.STD_KEY, "0.5"));
    }

    @Test
    void withoutEntriesNothingChanges() {
        assertSame(Preprocessing.NONE, Preprocessing.fromMetadata(Map.of("unroll.model", "{}")));
        assertEquals(7, Preprocessing.fromMetadata(Map.of(Standardization.WINDOW_KEY, "7")).window());
        float[] v = {1.5f};
        Preprocessing.NONE.encode(v, 0, 1, 1);
        assertEquals(1.5f, v[0]);
        assertEquals(0, Preprocessing.NONE.window());
    }

    @Test
    void invalidEntriesAreErrorsNamingThem() {
        IllegalArgumentException std = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.fromMetadata(Map.of(Standardization.STD_KEY, "0")));
        assertTrue(std.getMessage().contains("unroll.cli.std = 0"), std.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.fromMetadata(Map.of(Standardization.WINDOW_KEY, "-3")));
        assertTrue(window.getMessage().contains("got '-3'"), window.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Standardization(Double.NaN, 1));
    }

    @Test
    void standardizationOfASeriesAndItsInverse() {
        Standardization s = Standardization.of(new float[] {1f, 3f});
        assertEquals(2.0, s.mean());
        assertEquals(1.0, s.std());
        assertArrayEquals(new float[] {-1f, 1f}, s.apply(new float[] {1f, 3f}));
        assertArrayEquals(new float[] {1f, 3f}, s.invert(new float[] {-1f, 1f}));
        assertEquals(1.0, Standardization.of(new float[] {5f, 5f}).std(), "a constant series keeps std 1");
    }
}
