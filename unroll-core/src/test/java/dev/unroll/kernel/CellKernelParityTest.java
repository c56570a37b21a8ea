package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused recurrent cell kernels and strided activations, Vector API against the scalar
 * reference, on hidden sizes 1, 3, 17, 150 (ragged tails) and several rows, at offsets. The
 * activations agree within a few ulp (see VectorMath), so results are compared within 1e-6 relative
 * (plus 1e-6 absolute); the backward kernels are products of saved values, in the same order on
 * both sides.
 */
class CellKernelParityTest {
    private static final KernelProvider VECTOR = new VectorKernels();
    private static final KernelProvider SCALAR = Kernels.scalar();
    private static final int[] HIDDEN = {1, 3, 17, 150};
    private static final int ROWS = 5;
    private static final int OFF = 3;

    private static float[] random(int n, SplittableRandom rnd, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-6 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void stridedActivations() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (Activation f : Activation.values()) {
            for (int cols : HIDDEN) {
                int ld = 2 * cols + 1;
                float[] x = random(OFF + ROWS * ld, rnd, 6);
                float[] expected = x.clone();
                float[] actual = x.clone();
                SCALAR.activateRows(f, ROWS, cols, x, OFF, ld, expected, OFF, ld);
                VECTOR.activateRows(f, ROWS, cols, x, OFF, ld, actual, OFF, ld);
                assertClose(f + " cols " + cols, expected, actual);
                // In place.
                float[] inPlace = x.clone();
                VECTOR.activateRows(f, ROWS, cols, inPlace, OFF, ld, inPlace, OFF, ld);
                assertClose(f + " in place, cols " + cols, expected, inPlace);
            }
        }
    }

    /**
     * A value's activation is the same bits wherever it sits: alone, in a row's whole vectors, in
     * its overlapping last vector, in contiguous rows (which run as one row) or strided ones, in
     * place or not.
     */
    @Test
    void activationsDoNotDependOnPosition() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (Activation f : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.RELU}) {
            for (int cols : new int[] {1, 3, 8, 17, 150}) {
                for (int ld : new int[] {cols, 2 * cols + 1}) {
                    float[] x = random(OFF + ROWS * ld, rnd, 6);
                    float[] out = new float[x.length];
                    float[] inPlace = x.clone();
                    VECTOR.activateRows(f, ROWS, cols, x, OFF, ld, out, OFF, ld);
                    VECTOR.activateRows(f, ROWS, cols, inPlace, OFF, ld, inPlace, OFF, ld);
                    float[] alone = new float[1];
                    for (int r = 0; r < ROWS; r++) {
                        for (int j = 0; j < cols; j++) {
                            int at = OFF + r * ld + j;
                            VECTOR.activate(f, x, at, alone, 0, 1);
                            String where = f + " cols " + cols + " ld " + ld + " row " + r + " col " + j;
                            assertEquals(Float.floatToIntBits(alone[0]), Float.floatToIntBits(out[at]), where);
                            assertEquals(Float.floatToIntBits(alone[0]), Float.floatToIntBits(inPlace[at]), where + " in place");
                        }
                    }
                }
            }
        }
    }

    @Test
    void lstm() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int h : HIDDEN) {
            float[] gates = random(OFF + ROWS * 4 * h, rnd, 3);
            float[] c = random(OFF + ROWS * h, rnd, 2);
            float[][] s = {gates.clone(), new float[OFF + ROWS * h], new float[OFF + ROWS * h], new float[OFF + ROWS * h]};
            float[][] v = {gates.clone(), new float[OFF + ROWS * h], new float[OFF + ROWS * h], new float[OFF + ROWS * h]};
            SCALAR.lstmForward(ROWS, h, s[0], OFF, c, OFF, s[1], OFF, s[2], OFF, s[3], OFF);
            VECTOR.lstmForward(ROWS, h, v[0], OFF, c, OFF, v[1], OFF, v[2], OFF, v[3], OFF);
            for (int i = 0; i < 4; i++) {
                assertClose("lstm forward output " + i + ", h " + h, s[i], v[i]);
            }
            float[] dh = random(OFF + ROWS * h, rnd, 1);
            float[] dc = random(OFF + ROWS * h, rnd, 1);
            float[] dcS = dc.clone();
            float[] dcV = dc.clone();
            float[] dgS = new float[OFF + ROWS * 4 * h];
            float[] dgV = new float[OFF + ROWS * 4 * h];
            SCALAR.lstmBackward(ROWS, h, s[0], OFF, c, OFF, s[2], OFF, dh, OFF, dcS, OFF, dgS, OFF);
            VECTOR.lstmBackward(ROWS, h, s[0], OFF, c, OFF, s[2], OFF, dh, OFF, dcV, OFF, dgV, OFF);
            assertClose("lstm backward dc, h " + h, dcS, dcV);
            assertClose("lstm backward dgates, h " + h, dgS, dgV);
        }
    }

    @Test
    void gru() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int h : HIDDEN) {
            float[] gates = random(OFF + ROWS * 3 * h, rnd, 3);
            float[] hp = random(OFF + ROWS * 3 * h, rnd, 3);
            float[] prev = random(OFF + ROWS * h, rnd, 1);
            float[] gS = gates.clone();
            float[] gV = gates.clone();
            float[] nS = new float[OFF + ROWS * h];
            float[] nV = new float[OFF + ROWS * h];
            float[] hS = new float[OFF + ROWS * h];
            float[] hV = new float[OFF + ROWS * h];
            // Without b_hn (the hidden projection includes it: inference), then with it.
            float[] gNoBias = gates.clone();
            float[] hNoBias = new float[OFF + ROWS * h];
            SCALAR.gruForward(ROWS, h, gNoBias, OFF, hp, OFF, null, 0, null, 0, prev, OFF, hNoBias, OFF);
            float[] gNoBiasV = gates.clone();
            float[] hNoBiasV = new float[OFF + ROWS * h];
            VECTOR.gruForward(ROWS, h, gNoBiasV, OFF, hp, OFF, null, 0, null, 0, prev, OFF, hNoBiasV, OFF);
            assertClose("gru forward without b_hn, h " + h, hNoBias, hNoBiasV);
            float[] bhn = random(OFF + h, rnd, 1);
            SCALAR.gruForward(ROWS, h, gS, OFF, hp, OFF, bhn, OFF, nS, OFF, prev, OFF, hS, OFF);
            VECTOR.gruForward(ROWS, h, gV, OFF, hp, OFF, bhn, OFF, nV, OFF, prev, OFF, hV, OFF);
            assertClose("gru forward gates, h " + h, gS, gV);
            assertClose("gru forward hp_n, h " + h, nS, nV);
            assertClose("gru forward h', h " + h, hS, hV);
            float[] dh = random(OFF + ROWS * h, rnd, 1);
            float[][] s = {new float[OFF + ROWS * 4 * h], new float[OFF + ROWS * h]};
            float[][] v = {new float[OFF + ROWS * 4 * h], new float[OFF + ROWS * h]};
            SCALAR.gruBackward(ROWS, h, gS, OFF, nS, OFF, prev, OFF, dh, OFF, s[0], OFF, s[1], OFF);
            VECTOR.gruBackward(ROWS, h, gS, OFF, nS, OFF, prev, OFF, dh, OFF, v[0], OFF, v[1], OFF);
            for (int i = 0; i < 2; i++) {
                assertClose("gru backward output " + i + ", h " + h, s[i], v[i]);
            }
        }
    }
}
