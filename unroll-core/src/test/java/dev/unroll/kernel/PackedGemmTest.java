package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Products with a prepacked right operand: equal to the scalar reference within rounding, equal to
 * the unpacked tiled product bit for bit, and independent of how the rows of A are split between
 * calls (what the recurrent kernels rely on for thread-count independence).
 */
class PackedGemmTest {
    private static final KernelProvider VECTOR = new VectorKernels();
    private static final KernelProvider SCALAR = Kernels.scalar();
    /** {m, n, k} including n beyond one column block (NC = 1536) and k beyond one k-block (256). */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 17, 5}, {17, 150, 150}, {75, 600, 150}, {6, 1600, 300}, {32, 512, 512}};

    private static float[] random(int n, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void matchesReferenceAndUnpackedProduct() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (boolean transposed : new boolean[] {false, true}) {
            for (int[] s : SHAPES) {
                int m = s[0], n = s[1], k = s[2];
                int ldb = (transposed ? k : n) + 3;
                float[] a = random(2 + m * (k + 1), rnd);
                float[] b = random(5 + (transposed ? n : k) * ldb, rnd);
                float[] c0 = random(m * n, rnd);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] expected = c0.clone();
                    float[] packed = c0.clone();
                    float[] scalar = c0.clone();
                    GemmOp op = transposed ? GemmOp.NT : GemmOp.NN;
                    VECTOR.gemm(op, m, n, k, a, 2, k + 1, b, 5, ldb, expected, 0, n, accumulate);
                    VECTOR.gemm(m, a, 2, k + 1, VECTOR.pack(transposed, k, n, b, 5, ldb), packed, 0, n, accumulate);
                    SCALAR.gemm(m, a, 2, k + 1, SCALAR.pack(transposed, k, n, b, 5, ldb), scalar, 0, n, accumulate);
                    String where = (transposed ? "NT " : "NN ") + m + "x" + n + "x" + k + (accumulate ? " acc" : "");
                    // The unpacked path differs only for one-row and (NT) fewer-than-6-row products.
                    if (m >= 6) {
                        assertArrayEquals(expected, packed, where + ": packed == unpacked, bit for bit");
                    }
                    for (int i = 0; i < packed.length; i++) {
                        assertEquals(scalar[i], packed[i], 1e-5 * (k + 1), where + " [" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void rowSplitsGiveIdenticalBits() {
        SplittableRandom rnd = new SplittableRandom(2);
        int m = 50, n = 300, k = 100;
        float[] a = random(m * k, rnd);
        float[] b = random(n * k, rnd);
        PackedMatrix p = VECTOR.pack(true, k, n, b, 0, k);
        float[] whole = new float[m * n];
        VECTOR.gemm(m, a, 0, k, p, whole, 0, n, false);
        float[] parts = new float[m * n];
        int[] cuts = {0, 1, 4, 11, 25, 50};
        for (int c = 0; c + 1 < cuts.length; c++) {
            VECTOR.gemm(cuts[c + 1] - cuts[c], a, cuts[c] * k, k, p, parts, cuts[c] * n, n, false);
        }
        assertArrayEquals(whole, parts);
    }

    @Test
    void leftOverRowsGiveTheBitsOfATileWhetherTheyGoAloneOrNot() {
        // A B that stays in L2 (left-over rows go one at a time) and one larger than any L2 (they stay in a tile).
        SplittableRandom rnd = new SplittableRandom(4);
        for (int[] kn : new int[][] {{179, 150}, {1100, 1200}}) {
            int k = kn[0], n = kn[1];
            PackedMatrix p = VECTOR.pack(false, k, n, random(k * n, rnd), 0, n);
            for (int m = 2; m <= 11; m++) {
                float[] a = random(m * k, rnd);
                float[] whole = new float[m * n];
                VECTOR.gemm(m, a, 0, k, p, whole, 0, n, false);
                float[] rows = new float[m * n];
                for (int i = 0; i < m; i++) {
                    VECTOR.gemm(1, a, i * k, k, p, rows, i * n, n, false);
                }
                assertArrayEquals(rows, whole, m + "x" + n + "x" + k + ": each row alone == the rows together");
            }
        }
    }

    @Test
    void oneRowGivesTheBitsOfThatRowInATallerProduct() {
        SplittableRandom rnd = new SplittableRandom(3);
        int nr = VectorGemm.NR;
        // 1 to 7 panels (the one-row kernel takes them three, two and one at a time), ragged or not,
        // more than one column block (1536) and more than one k-block (256).
        int[][] shapes = {{1, 5}, {nr, 29}, {2 * nr + 3, 150}, {3 * nr, 179}, {4 * nr - 1, 102}, {5 * nr + 22, 300}, {7 * nr, 257},
            {1600, 40}, {150, 520}};
        for (int[] s : shapes) {
            int n = s[0], k = s[1], m = 7;
            float[] a = random(m * k, rnd);
            float[] b = random(n * k, rnd);
            PackedMatrix p = VECTOR.pack(true, k, n, b, 0, k);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] c0 = random(m * (n + 2), rnd);
                float[] tall = c0.clone();
                VECTOR.gemm(m, a, 0, k, p, tall, 0, n + 2, accumulate);
                for (int row = 0; row < m; row++) {
                    float[] one = c0.clone();
                    VECTOR.gemm(1, a, row * k, k, p, one, row * (n + 2), n + 2, accumulate);
                    assertArrayEquals(java.util.Arrays.copyOfRange(tall, row * (n + 2), row * (n + 2) + n),
                            java.util.Arrays.copyOfRange(one, row * (n + 2), row * (n + 2) + n), n + "x" + k + " row " + row);
                    assertArrayEquals(java.util.Arrays.copyOfRange(c0, row * (n + 2) + n, row * (n + 2) + n + 2),
                            java.util.Arrays.copyOfRange(one, row * (n + 2) + n, row * (n + 2) + n + 2), "nothing written past n");
                }
            }
        }
    }
}
