package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API GEMM against the scalar reference on awkward shapes (edge tiles, ragged panels,
 * several k-, m- and n-blocks, m = 1), in every {@link GemmOp}, with and without accumulation, with
 * non-zero offsets and leading dimensions wider than the rows.
 *
 * <p>Tolerance: both sides compute each element as a float sum of k products in some order (the
 * reference sequentially, the vector kernel as FMA chains per k-block), so each is within
 * γ = (k+1)·2⁻²⁴ of the exact value relative to {@code Σ|a||b| + |C_old|} (Higham, Accuracy and
 * Stability, §3.1); their difference is within twice that. A wrong index or a lost tile gives errors
 * of the order of that sum itself, far above the bound.
 */
class GemmParityTest {
    private static final KernelProvider VECTOR = new VectorKernels();
    private static final KernelProvider SCALAR = Kernels.scalar();

    /** {m, n, k}: sizes 1, 3, 17, 1021 and mixes that cross every block and tile boundary. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 3, 17}, {3, 17, 1}, {17, 3, 3}, {17, 17, 17}, {1, 1021, 17}, {1021, 1, 3},
        {17, 1021, 3}, {3, 17, 1021}, {6, 64, 257}, {7, 65, 513}, {5, 127, 255}, {13, 150, 28},
        {1, 100, 100}, {2, 100, 100}, {200, 70, 40}, {3, 1600, 5}, {12, 64, 256}, {50, 22, 9}, {25, 100, 300}, {73, 112, 29},
    };

    @Test
    void vectorGemmMatchesReference() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (GemmOp op : GemmOp.values()) {
            for (int[] s : SHAPES) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    check(op, s[0], s[1], s[2], accumulate, rnd);
                }
            }
        }
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5};
        VECTOR.gemm(GemmOp.NN, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 1, 2, true);
        assertEquals(2f, c[1]);
        VECTOR.gemm(GemmOp.NN, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 1, 2, false);
        assertEquals(1f, c[0]);
        assertEquals(0f, c[1]);
        assertEquals(0f, c[4]);
    }

    private static void check(GemmOp op, int m, int n, int k, boolean accumulate, SplittableRandom rnd) {
        // Stored shapes: A is [m×k] or [k×m] (TN), B is [k×n] or [n×k] (NT); leading dims padded.
        int aRows = op.transA ? k : m, aCols = op.transA ? m : k;
        int bRows = op.transB ? n : k, bCols = op.transB ? k : n;
        int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
        int aOff = 7, bOff = 4, cOff = 9;
        float[] a = random(aOff + aRows * lda, rnd);
        float[] b = random(bOff + bRows * ldb, rnd);
        float[] c0 = random(cOff + m * ldc, rnd);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        SCALAR.gemm(op, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, accumulate);
        VECTOR.gemm(op, m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, accumulate);
        String where = op + " " + m + "×" + n + "×" + k + (accumulate ? " accumulate" : "");
        for (int idx = 0; idx < c0.length; idx++) {
            int i = (idx - cOff) / ldc, j = (idx - cOff) % ldc;
            boolean inside = idx >= cOff && i < m && j < n;
            if (!inside) {
                assertEquals(c0[idx], actual[idx], where + ": wrote outside C at " + idx);
                continue;
            }
            double magnitude = accumulate ? Math.abs(c0[idx]) : 0;
            for (int p = 0; p < k; p++) {
                float av = a[aOff + (op.transA ? p * lda + i : i * lda + p)];
                float bv = b[bOff + (op.transB ? j * ldb + p : p * ldb + j)];
                magnitude += Math.abs((double) av * bv);
            }
            double tolerance = 2 * (k + 1) * 0x1p-24 * magnitude;
            double error = Math.abs((double) actual[idx] - expected[idx]);
            if (!(error <= tolerance)) {
                fail(where + ": C[" + i + "][" + j + "] = " + actual[idx] + ", reference " + expected[idx]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }

    static float[] random(int size, SplittableRandom rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
