package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic contract of {@link VectorGemm}, bit for bit: every element of C is, for each
 * k-block of {@link VectorGemm#KC} counted from 0, {@code s = fma(a, b, s)} from 0 in increasing k,
 * then {@code C = s} (the first block, not accumulating) or {@code C += s}. Whatever path computes
 * it — the wide tile or the two halves with A packed (both run: see the surefire executions in
 * {@code unroll-core/pom.xml}), one row, few rows with B read in place, narrow, three-vector or ragged panels,
 * several row blocks and k-blocks — so results never depend on the CPU's tiling or on how rows are
 * split between threads. (Not covered: NT with fewer than 6 rows, which takes dot products, and NT or TN
 * products of at most 8 columns, done transposed and added once: orders of their own, also fixed by
 * the shape alone.)
 */
class GemmContractTest {
    private static float[] contract(GemmOp op, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc,
                                    boolean accumulate) {
        float[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float value = out[i * ldc + j];
                for (int p0 = 0; p0 < k; p0 += VectorGemm.KC) {
                    float s = 0f;
                    for (int p = p0; p < Math.min(k, p0 + VectorGemm.KC); p++) {
                        float av = op.transA ? a[p * lda + i] : a[i * lda + p];
                        float bv = op.transB ? b[j * ldb + p] : b[p * ldb + j];
                        s = Math.fma(av, bv, s);
                    }
                    value = p0 == 0 && !accumulate ? s : value + s;
                }
                out[i * ldc + j] = value;
            }
        }
        return out;
    }

    @Test
    void everyPathComputesEachElementByTheContract() {
        SplittableRandom rnd = new SplittableRandom(17);
        int[][] shapes = {{1, 17, 3}, {2, 150, 29}, {3, 1021, 5}, {6, 32, 256}, {7, 33, 257}, {17, 150, 179}, {64, 64, 577},
            {73, 40, 300}, {200, 17, 31}, {6, 8, 600}, {13, 3, 40}, {5, 9, 300}, {198, 150, 12}, {25, 100, 300}, {73, 112, 29}};
        for (GemmOp op : GemmOp.values()) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                if ((op.transB && m < VectorGemm.MR) || (n <= 8 && m > n && op != GemmOp.NN)) {
                    continue;
                }
                for (boolean accumulate : new boolean[] {false, true}) {
                    int lda = (op.transA ? m : k) + 3, ldb = (op.transB ? k : n) + 1, ldc = n + 2;
                    float[] a = GemmParityTest.random((op.transA ? k : m) * lda, rnd);
                    float[] b = GemmParityTest.random((op.transB ? n : k) * ldb, rnd);
                    float[] c = GemmParityTest.random(m * ldc, rnd);
                    float[] expected = contract(op, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                    float[] actual = c.clone();
                    VectorGemm.gemm(op, m, n, k, a, 0, lda, b, 0, ldb, actual, 0, ldc, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int at = i * ldc + j;
                            if (Float.floatToRawIntBits(expected[at]) != Float.floatToRawIntBits(actual[at])) {
                                fail(op + " " + m + "×" + n + "×" + k + (accumulate ? " accumulate" : "") + ", wide tile "
                                        + VectorGemm.WIDE_TILE + ": C[" + i + "][" + j + "] = " + actual[at] + ", the contract gives "
                                        + expected[at]);
                            }
                        }
                    }
                }
            }
        }
    }
}
