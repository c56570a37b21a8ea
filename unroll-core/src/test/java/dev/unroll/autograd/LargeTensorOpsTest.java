package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Element-wise ops and totals on tensors large enough to be split over threads: right values, and
 * the same bits whatever the thread count.
 */
class LargeTensorOpsTest {
    /** Several pieces of an element-wise split and of a total, with a ragged end. */
    private static final int SIZE = 300_007;

    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void squareMeanAndItsGradient() {
        float[][] one = squareMean(1);
        float[][] two = squareMean(2);
        assertArrayEquals(one[0], two[0], "loss");
        assertArrayEquals(one[1], two[1], "gradient");

        float[] x = input(1).toArray();
        double expected = 0;
        for (float v : x) {
            expected += (double) v * v;
        }
        assertEquals(expected / SIZE, one[0][0], 1e-6 * expected / SIZE);
        for (int i = 0; i < SIZE; i += 9_973) {
            assertEquals(2f * x[i] / SIZE, one[1][i], 1e-6f * Math.abs(2f * x[i] / SIZE) + 1e-12f, "element " + i);
        }
    }

    @Test
    void elementWiseChainAndItsGradients() {
        float[][] one = chain(1);
        float[][] two = chain(2);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "result " + i);
        }
        // d/da of sum(tanh(a ⊙ b + a) − 0.5·b) = (1 − y²)(b + 1), spot-checked.
        float[] a = input(1).toArray();
        float[] b = input(2).toArray();
        for (int i = 0; i < SIZE; i += 10_007) {
            float y = (float) Math.tanh(a[i] * b[i] + a[i]);
            assertEquals((1 - y * y) * (b[i] + 1), one[1][i], 1e-4f, "da at " + i);
        }
    }

    private static Tensor input(long seed) {
        return Tensor.randn(new Rng(seed), SIZE);
    }

    private static float[][] squareMean(int threads) {
        Parallel.setThreads(threads);
        Variable x = Variable.parameter("x", input(1));
        Variable loss = x.square().mean();
        loss.backward();
        return new float[][] {loss.value().toArray(), x.grad().toArray()};
    }

    private static float[][] chain(int threads) {
        Parallel.setThreads(threads);
        Variable a = Variable.parameter("a", input(1));
        Variable b = Variable.parameter("b", input(2));
        Variable y = a.mul(b).add(a).tanh().sub(b.scale(0.5f));
        y.sum().backward();
        return new float[][] {y.value().toArray(), a.grad().toArray(), b.grad().toArray()};
    }
}
