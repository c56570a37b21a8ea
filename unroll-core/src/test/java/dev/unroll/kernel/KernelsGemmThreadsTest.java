package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#gemm} gives the same bits on 1, 2 and 3 threads. The shapes are large enough to be
 * split (above the parallel threshold), awkward (ragged tiles and panels, leftover rows), and cover
 * both cuts: bands of rows and strips of columns, including the one-row products.
 */
class KernelsGemmThreadsTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void providerIsTheVectorOneUnderTest() {
        // Surefire runs with --add-modules jdk.incubator.vector, so the fast path is what we test.
        assertTrue(Kernels.provider().name().startsWith("vector-"), Kernels.provider().name());
    }

    @Test
    void resultIsIndependentOfThreadCount() {
        // n ≤ 64 forces bands of rows (301 leaves 1 row over); m < 6 forces strips of columns (and,
        // for NT, the dot-product path); the others go either way.
        int[][] shapes = {{301, 40, 130}, {13, 1600, 28}, {1, 9000, 64}, {5, 700, 100}, {151, 150, 300}, {40, 601, 100}};
        SplittableRandom rnd = new SplittableRandom(7);
        for (GemmOp op : GemmOp.values()) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = GemmParityTest.random(m * k + 3, rnd);
                float[] b = GemmParityTest.random(k * n + 5, rnd);
                float[] c0 = GemmParityTest.random(m * n + 1, rnd);
                int lda = op.transA ? m : k, ldb = op.transB ? k : n;
                float[] reference = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] c = c0.clone();
                    Kernels.gemm(op, m, n, k, a, 3, lda, b, 5, ldb, c, 1, n, true);
                    if (reference == null) {
                        reference = c;
                    } else {
                        assertArrayEquals(reference, c, op + " " + m + "×" + n + "×" + k + " on " + threads + " threads");
                    }
                }
            }
        }
    }
}
