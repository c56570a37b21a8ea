package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.tensor.Rng;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
    private static final TimeSeries SEED = TimeSeries.SEED;

    /** The seed's formula, written out independently in double. */
    private static double y(double t) {
        return t * Math.sin(t) / 3.0 + 2.0 * Math.sin(5.0 * t);
    }

    @Test
    void valueIsTheSeedsFormula() {
        assertEquals(0.0, TimeSeries.value(0.0));
        // At t = π/2: sin(t) = 1 and sin(5t) = 1, so y = π/6 + 2.
        assertEquals(Math.PI / 6 + 2, TimeSeries.value(Math.PI / 2), 1e-12);
        for (double t : new double[] {0.1, 1.0, 12.2, 12.3, 29.9, 30.0}) {
            assertEquals(y(t), TimeSeries.value(t), 1e-12, "t = " + t);
        }
    }

    @Test
    void nextBatchDrawsOneStartPerInstanceLikeTheSeed() {
        int batch = 4;
        int steps = 20;
        SequencePairs pairs = SEED.nextBatch(new Rng(11), batch, steps);
        assertArrayEquals(new int[] {batch, steps, 1}, pairs.inputs().shape());
        assertArrayEquals(new int[] {batch, steps, 1}, pairs.targets().shape());
        Rng draws = new Rng(11);
        for (int b = 0; b < batch; b++) {
            double t0 = draws.nextDouble() * (30 - 0 - steps * 0.1);
            assertTrue(t0 >= 0 && t0 < 28);
            for (int i = 0; i < steps; i++) {
                assertEquals((float) y(t0 + i * 0.1), pairs.inputs().get(b, i, 0), "X[" + b + ", " + i + "]");
                assertEquals((float) y(t0 + (i + 1) * 0.1), pairs.targets().get(b, i, 0), "Y[" + b + ", " + i + "]");
            }
        }
    }

    @Test
    void targetsAreTheInputsShiftedByExactlyOneStep() {
        SequencePairs pairs = SEED.nextBatch(new Rng(3), 5, 20);
        for (int b = 0; b < 5; b++) {
            for (int i = 0; i + 1 < 20; i++) {
                assertEquals(pairs.inputs().get(b, i + 1, 0), pairs.targets().get(b, i, 0));
            }
        }
    }

    @Test
    void sameSeedSameBatches() {
        SequencePairs a = SEED.nextBatch(new Rng(5), 50, 20);
        SequencePairs b = SEED.nextBatch(new Rng(5), 50, 20);
        assertArrayEquals(a.inputs().toArray(), b.inputs().toArray());
        assertArrayEquals(a.targets().toArray(), b.targets().toArray());
    }

    @Test
    void aRangeNotStartingAtZeroShiftsTheStarts() {
        TimeSeries later = new TimeSeries(100, 102, 0.5);
        SequencePairs pairs = later.nextBatch(new Rng(9), 1, 2);
        double t0 = 100 + new Rng(9).nextDouble() * (2 - 2 * 0.5);
        assertEquals((float) y(t0), pairs.inputs().get(0, 0, 0));
    }

    @Test
    void windowsLongerThanTheRangeAndBadArgumentsAreRejected() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SEED.nextBatch(new Rng(1), 1, 301)),
                "a window of 301 steps", "[0.0, 30.0]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SEED.nextBatch(new Rng(1), 0, 20)),
                "got 0 and 20");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new TimeSeries(0, 30, 0)),
                "resolution > 0", "every 0.0");
    }

    @Test
    void curveIsTheSeedsLinspaceOf300Points() {
        TimeSeries.Curve curve = SEED.curve();
        assertEquals(300, curve.t().length);
        assertEquals(0.0, curve.t()[0]);
        assertEquals(30.0, curve.t()[299]);
        assertEquals(30.0 / 299, curve.t()[1], 1e-15);
        assertEquals(150 * (30.0 / 299), curve.t()[150], 1e-12);
        for (int i = 0; i < 300; i += 37) {
            assertEquals(y(curve.t()[i]), curve.y()[i], 1e-12);
        }
    }

    @Test
    void testInstanceIsTheSeedsTInstance() {
        double[] t = SEED.instanceTimes(TimeSeries.SEED_INSTANCE_START, 20);
        assertEquals(21, t.length);
        assertEquals(12.2, t[0]);
        assertEquals(12.2 + 0.1 * 21, t[20]);
        assertEquals(0.1 * 21 / 20, t[1] - t[0], 1e-12);

        SequencePairs instance = SEED.instance(TimeSeries.SEED_INSTANCE_START, 20);
        assertArrayEquals(new int[] {1, 20, 1}, instance.inputs().shape());
        for (int i = 0; i < 20; i++) {
            assertEquals((float) y(t[i]), instance.inputs().get(0, i, 0));
            assertEquals((float) y(t[i + 1]), instance.targets().get(0, i, 0));
        }
    }

    @Test
    void valuesRunAtTheResolution() {
        float[] v = SEED.values(10.0, 20);
        assertEquals(20, v.length);
        for (int i = 0; i < 20; i++) {
            assertEquals((float) y(10.0 + i * 0.1), v[i]);
        }
        assertEquals(0, SEED.values(0, 0).length);
    }

    @Test
    void linspaceOfOnePointIsTheStart() {
        assertArrayEquals(new double[] {2.5}, TimeSeries.linspace(2.5, 9, 1));
        assertEquals(1, new TimeSeries(0, 1, 0.6).curve().t().length);
    }
}
