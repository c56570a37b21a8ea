package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WindowsTest {
    /** 0, 1, 2, ..., n-1: a value is its own position, so a window's start is plain to see. */
    private static float[] ramp(int n) {
        float[] series = new float[n];
        for (int i = 0; i < n; i++) {
            series[i] = i;
        }
        return series;
    }

    /** Every window starts at a whole position and its target is the input shifted exactly one step. */
    private static void assertShiftedByOneStep(float[] series, SequencePairs pairs, int steps) {
        Tensor x = pairs.inputs();
        Tensor y = pairs.targets();
        for (int n = 0; n < pairs.size(); n++) {
            int start = (int) x.get(n, 0, 0);
            for (int t = 0; t < steps; t++) {
                assertEquals(series[start + t], x.get(n, t, 0));
                assertEquals(series[start + t + 1], y.get(n, t, 0));
            }
        }
    }

    @Test
    void allWindowsInOrderWithTargetsOneStepAhead() {
        float[] series = ramp(8);
        SequencePairs pairs = Windows.all(series, 3);
        assertArrayEquals(new int[] {5, 3, 1}, pairs.inputs().shape());
        assertArrayEquals(new int[] {5, 3, 1}, pairs.targets().shape());
        assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6}, pairs.inputs().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 5, 6, 7}, pairs.targets().toArray());
        assertEquals(1, Windows.all(ramp(4), 3).size(), "steps + 1 values make exactly one window");
    }

    @Test
    void tooShortASeriesSaysHowManyValuesAWindowNeeds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Windows.all(ramp(15), 20));
        assertEquals("series has 15 values; a window of 20 steps needs at least 21", e.getMessage());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Windows.sample(ramp(20), 20, 4, new Rng(1))),
                "series has 20 values; a window of 20 steps needs at least 21");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Windows.all(ramp(5), 0)),
                "at least 1 step, got 0");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Windows.sample(ramp(5), 2, 0, new Rng(1))),
                "batch size must be at least 1, got 0");
    }

    @Test
    void sampledWindowsAreShiftedByOneStepAndCoverEveryStart() {
        float[] series = ramp(30);
        SequencePairs batch = Windows.sample(series, 5, 400, new Rng(7));
        assertArrayEquals(new int[] {400, 5, 1}, batch.inputs().shape());
        assertShiftedByOneStep(series, batch, 5);
        boolean[] seen = new boolean[25];
        for (int n = 0; n < batch.size(); n++) {
            seen[(int) batch.inputs().get(n, 0, 0)] = true;
        }
        for (int start = 0; start < 25; start++) {
            assertEquals(true, seen[start], "start " + start + " never drawn in 400 tries");
        }
    }

    @Test
    void sameSeedSameBatches() {
        float[] series = ramp(100);
        SequencePairs a = Windows.sample(series, 10, 8, new Rng(42));
        SequencePairs b = Windows.sample(series, 10, 8, new Rng(42));
        SequencePairs c = Windows.sample(series, 10, 8, new Rng(43));
        assertArrayEquals(a.inputs().toArray(), b.inputs().toArray());
        assertArrayEquals(a.targets().toArray(), b.targets().toArray());
        assertNotEquals(Arrays.toString(a.inputs().toArray()), Arrays.toString(c.inputs().toArray()));
    }

    @Test
    void pairsSelectAndValidateTheirShapes() {
        SequencePairs pairs = Windows.all(ramp(6), 2);
        SequencePairs picked = pairs.select(new int[] {3, 1});
        assertArrayEquals(new float[] {3, 4, 1, 2}, picked.inputs().toArray());
        assertArrayEquals(new float[] {4, 5, 2, 3}, picked.targets().toArray());
        assertMentions(assertThrows(ShapeException.class,
                () -> new SequencePairs(Tensor.zeros(2, 3, 1), Tensor.zeros(2, 4, 1))), "[2, 3, 1]", "[2, 4, 1]");
    }
}
