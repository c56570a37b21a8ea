package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API element-wise kernels against the scalar reference on n = 1, 3, 17, 1021 at non-zero
 * offsets, with extreme values mixed in (±0, ±∞, NaN, subnormals, ±Float.MAX_VALUE, the
 * saturation and overflow thresholds).
 *
 * <p>Tolerances: tanh and sigmoid within {@value #MAX_ULPS} ulp of the reference (which rounds the
 * double-precision result, so is within 0.5 ulp of exact; see {@link VectorMath} for the error
 * budget), NaN exactly where the reference has NaN. Every other kernel performs the reference's IEEE
 * operations in the reference's order, so it must agree bit for bit; {@code dot} sums in another
 * (fixed) order and is held to the float-product-sum bound.
 */
class ElementwiseParityTest {
    private static final KernelProvider VECTOR = new VectorKernels();
    private static final KernelProvider SCALAR = Kernels.scalar();
    private static final int[] SIZES = {1, 3, 17, 1021};
    private static final int MAX_ULPS = 3;
    private static final float[] EXTREMES = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-20f, -3e-8f, 0.625f, -0.625f, 0.6249999f,
        9f, -9f, 10f, 20f, -20f, 88.72f, -88.72f, 89f, -95f, -103.9f, -104f, -150f, 1000f,
    };

    /** Random values of mixed magnitude with the extremes sprinkled in; an offset of padding in front. */
    private static float[] values(int offset, int n, SplittableRandom rnd) {
        float[] x = new float[offset + n + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 5 == 0 ? EXTREMES[rnd.nextInt(EXTREMES.length)] : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-3, 3)));
        }
        return x;
    }

    @Test
    void activationsAgree() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (Activation f : Activation.values()) {
            for (int n : SIZES) {
                float[] x = values(3, n, rnd);
                float[] expected = new float[n + 7];
                float[] actual = new float[n + 7];
                SCALAR.activate(f, x, 3, expected, 5, n);
                VECTOR.activate(f, x, 3, actual, 5, n);
                assertClose(f, x, 3, expected, actual, 5, n);
                // In place gives the same.
                float[] inPlace = x.clone();
                VECTOR.activate(f, inPlace, 3, inPlace, 3, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(actual[5 + i], inPlace[3 + i], f + " in place");
                }
            }
        }
    }

    @Test
    void tanhAndSigmoidAreAccurateOverTheWholeFloatRange() {
        // Every 2^12-th float bit pattern of both signs (~1M values), NaN and ∞ included.
        int count = 1 << 20;
        float[] x = new float[count];
        for (int i = 0; i < count / 2; i++) {
            x[2 * i] = Float.intBitsToFloat(i << 12);
            x[2 * i + 1] = -x[2 * i];
        }
        for (Activation f : new Activation[] {Activation.TANH, Activation.SIGMOID}) {
            float[] expected = new float[count];
            float[] actual = new float[count];
            SCALAR.activate(f, x, 0, expected, 0, count);
            VECTOR.activate(f, x, 0, actual, 0, count);
            assertClose(f, x, 0, expected, actual, 0, count);
        }
        float[] limits = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 120f, -120f, 200f, -200f};
        float[] y = new float[limits.length];
        VECTOR.activate(Activation.TANH, limits, 0, y, 0, limits.length);
        assertArrayEquals(new float[] {1, -1, 1, -1, 1, -1}, y);
        VECTOR.activate(Activation.SIGMOID, limits, 0, y, 0, limits.length);
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, y);
    }

    private static void assertClose(Activation f, float[] x, int xOff, float[] expected, float[] actual, int off, int n) {
        boolean exact = f == Activation.RELU || f == Activation.IDENTITY;
        for (int i = off; i < off + n; i++) {
            float e = expected[i], a = actual[i];
            boolean ok = exact || Float.isNaN(e) ? Float.compare(e, a) == 0 : ulps(e, a) <= MAX_ULPS;
            if (!ok) {
                fail(f + "(" + x[xOff + i - off] + ") = " + a + ", reference " + e + " (" + ulps(e, a) + " ulp)");
            }
        }
    }

    /** Distance in units in the last place, counting across zero. */
    private static long ulps(float a, float b) {
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float v) {
        int bits = Float.floatToIntBits(v);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }

    @Test
    void backwardAgreesBitForBit() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (Activation f : Activation.values()) {
            for (int n : SIZES) {
                float[] y = values(1, n, rnd);
                float[] dy = values(2, n, rnd);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] expected = values(4, n, rnd);
                    float[] actual = expected.clone();
                    SCALAR.activateBackward(f, y, 1, dy, 2, expected, 4, n, accumulate);
                    VECTOR.activateBackward(f, y, 1, dy, 2, actual, 4, n, accumulate);
                    assertArrayEquals(expected, actual, f + " backward n=" + n);
                }
            }
        }
    }

    @Test
    void arithmeticAgreesBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n : SIZES) {
            float[] a = values(1, n, rnd);
            float[] b = values(2, n, rnd);
            float[] expected = values(3, n, rnd);
            float[] actual = expected.clone();
            SCALAR.axpy(n, -0.37f, a, 1, expected, 3);
            VECTOR.axpy(n, -0.37f, a, 1, actual, 3);
            assertArrayEquals(expected, actual, "axpy n=" + n);
            SCALAR.add(n, a, 1, b, 2, expected, 3);
            VECTOR.add(n, a, 1, b, 2, actual, 3);
            assertArrayEquals(expected, actual, "add n=" + n);
            for (boolean accumulate : new boolean[] {false, true}) {
                SCALAR.mul(n, a, 1, b, 2, expected, 3, accumulate);
                VECTOR.mul(n, a, 1, b, 2, actual, 3, accumulate);
                assertArrayEquals(expected, actual, "mul n=" + n);
                SCALAR.scaledMul(n, 2f, a, 1, b, 2, expected, 3, accumulate);
                VECTOR.scaledMul(n, 2f, a, 1, b, 2, actual, 3, accumulate);
                assertArrayEquals(expected, actual, "scaledMul n=" + n);
            }
        }
    }

    @Test
    void rowVectorAndColumnSumsAgreeBitForBit() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int cols : SIZES) {
            for (int rows : new int[] {1, 3, 17}) {
                int ldx = cols + 3;
                float[] bias = values(2, cols, rnd);
                float[] expected = values(5, rows * ldx, rnd);
                float[] actual = expected.clone();
                SCALAR.addRowVector(rows, cols, bias, 2, expected, 5, ldx);
                VECTOR.addRowVector(rows, cols, bias, 2, actual, 5, ldx);
                assertArrayEquals(expected, actual, "addRowVector " + rows + "×" + cols);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] sumExpected = values(1, cols, rnd);
                    float[] sumActual = sumExpected.clone();
                    SCALAR.sumRows(rows, cols, expected, 5, ldx, sumExpected, 1, accumulate);
                    VECTOR.sumRows(rows, cols, expected, 5, ldx, sumActual, 1, accumulate);
                    assertArrayEquals(sumExpected, sumActual, "sumRows " + rows + "×" + cols);
                }
            }
        }
    }

    @Test
    void dotAgreesWithinTheSummationBound() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n : new int[] {1, 3, 17, 1021, 100_003}) {
            float[] x = GemmParityTest.random(n + 1, rnd);
            float[] y = GemmParityTest.random(n + 2, rnd);
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                magnitude += Math.abs((double) x[1 + i] * y[2 + i]);
            }
            double expected = SCALAR.dot(n, x, 1, y, 2);
            double actual = VECTOR.dot(n, x, 1, y, 2);
            // Products are exact in double; the sums of the two orders differ by at most 2n·2⁻⁵³·Σ|xy|.
            assertEquals(expected, actual, 2 * n * 0x1p-53 * magnitude, "dot n=" + n);
            assertEquals(actual, VECTOR.dot(n, x, 1, y, 2), 0.0, "dot is repeatable");
        }
        float[] nan = {1, Float.NaN, 2};
        assertEquals(Double.NaN, VECTOR.dot(3, nan, 0, nan, 0));
    }

    @Test
    void sumAgreesWithinTheSummationBound() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int n : new int[] {1, 3, 17, 1021, 100_003}) {
            float[] x = GemmParityTest.random(n + 1, rnd);
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                magnitude += Math.abs(x[1 + i]);
            }
            double expected = SCALAR.sum(n, x, 1);
            double actual = VECTOR.sum(n, x, 1);
            assertEquals(expected, actual, 2 * n * 0x1p-53 * magnitude, "sum n=" + n);
            assertEquals(actual, VECTOR.sum(n, x, 1), 0.0, "sum is repeatable");
        }
        // Below one vector pair everything goes through the reference, in index order.
        float[] few = {0.1f, 0.2f, 0.3f};
        assertEquals(SCALAR.sum(3, few, 0), VECTOR.sum(3, few, 0), 0.0);
        float[] withNan = new float[40];
        withNan[25] = Float.NaN;
        assertEquals(Double.NaN, VECTOR.sum(40, withNan, 0));
        float[] withInf = new float[40];
        withInf[7] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, VECTOR.sum(40, withInf, 0));
    }
}
