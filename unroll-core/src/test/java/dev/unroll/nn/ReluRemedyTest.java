package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Seed §17, second remedy — a non-saturating activation. Two cells with the very same weights
 * (identity recurrent matrix, positive input weights) and the same inputs, differing only in φ:
 * the state grows step after step; tanh saturates and its derivative 1 − h² goes to 0, ReLU's
 * stays 1.
 */
class ReluRemedyTest {

    private static double gradientRatio(Activation activation) {
        CellInit init = CellInit.of(Init.uniform(0f, 0.5f), Init.identity(1f), Init.zeros());
        SimpleRnnCell cell = new SimpleRnnCell(4, 32, activation, init, new Rng(1));
        double[] flow = GradientFlow.inputGradientNorms(cell, Tensor.ones(8, 100, 4));
        return flow[0] / flow[99];
    }

    @Test
    void reluPassesTheGradientThrough100StepsWhereTanhWithTheSameWeightsSaturates() {
        double relu = gradientRatio(Activation.RELU);
        double tanh = gradientRatio(Activation.TANH);
        assertTrue(relu > 0.9 && relu < 1.1, "ReLU: ‖∂L/∂x(0)‖ / ‖∂L/∂x(99)‖ = " + relu);
        assertTrue(tanh < 1e-10, "tanh: " + tanh);
    }
}
