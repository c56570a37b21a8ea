package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reference kernels against hand-computed values: everything else is checked against them. */
class ScalarKernelsTest {
    private final KernelProvider k = Kernels.scalar();

    @Test
    void gemmVariants() {
        float[] a = {1, 2, 3, 4, 5, 6};        // [2×3]
        float[] b = {1, 0, 2, 1, 0, 3};        // [3×2]
        float[] c = new float[4];
        k.gemm(GemmOp.NN, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {5, 11, 14, 23}, c);
        // NT: B stored [n×k] = bᵀ.
        float[] bt = {1, 2, 0, 0, 1, 3};
        k.gemm(GemmOp.NT, 2, 2, 3, a, 0, 3, bt, 0, 3, c, 0, 2, false);
        assertArrayEquals(new float[] {5, 11, 14, 23}, c);
        // TN: A stored [k×m] = aᵀ; accumulate doubles it.
        float[] at = {1, 4, 2, 5, 3, 6};
        k.gemm(GemmOp.TN, 2, 2, 3, at, 0, 2, b, 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {10, 22, 28, 46}, c);
    }

    @Test
    void gemmHonoursOffsetsAndLeadingDimensions() {
        // A is the 2×2 block at (1,1) of a 3×4 array; C is written into a 2×3 array's last 2 columns.
        float[] a = {0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0};
        float[] b = {1, 1, 1, 1};
        float[] c = new float[6];
        k.gemm(GemmOp.NN, 2, 2, 2, a, 5, 4, b, 0, 2, c, 1, 3, false);
        assertArrayEquals(new float[] {0, 3, 3, 0, 7, 7}, c);
    }

    @Test
    void activationsAndDerivatives() {
        float[] x = {-2, 0, 0.5f};
        float[] y = new float[3];
        k.activate(Activation.TANH, x, 0, y, 0, 3);
        assertEquals(Math.tanh(-2), y[0], 1e-7);
        float[] dx = new float[3];
        k.activateBackward(Activation.TANH, y, 0, new float[] {1, 1, 1}, 0, dx, 0, 3, false);
        assertEquals(1 - Math.tanh(0.5) * Math.tanh(0.5), dx[2], 1e-6);
        k.activate(Activation.RELU, x, 0, y, 0, 3);
        assertArrayEquals(new float[] {0, 0, 0.5f}, y);
        // A diverged value stays visible (as in PyTorch) instead of silently becoming 0.
        k.activate(Activation.RELU, new float[] {Float.NaN}, 0, y, 0, 1);
        assertEquals(Float.NaN, y[0]);
        k.activate(Activation.SIGMOID, x, 0, y, 0, 3);
        assertEquals(0.5f, y[1]);
    }

    @Test
    void rowVectorAndColumnSums() {
        float[] x = {1, 2, 3, 4};
        k.addRowVector(2, 2, new float[] {10, 20}, 0, x, 0, 2);
        assertArrayEquals(new float[] {11, 22, 13, 24}, x);
        float[] sums = {100, 100};
        k.sumRows(2, 2, x, 0, 2, sums, 0, true);
        assertArrayEquals(new float[] {124, 146}, sums);
    }
}
