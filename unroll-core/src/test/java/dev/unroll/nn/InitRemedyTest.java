package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Seed §17, first remedy — good initialization: what each initializer is for, shown on the
 * quantity it is meant to keep steady.
 */
class InitRemedyTest {
    private static final int HIDDEN = 32;
    private static final int STEPS = 100;

    /** The seed's §4 initialization, {@code tf.random_normal}: every weight from N(0, 1). */
    private static final Init STANDARD_NORMAL = (t, rng) -> t.copyFrom(Tensor.randn(rng, t.shape()));

    /** ‖h(t)‖ / ‖h(0)‖ at every step of a linear RNN {@code h(t+1) = W_hh·h(t)} (no input, no bias). */
    private static double[] linearStateGrowth(Init recurrent) {
        SimpleRnnCell cell = new SimpleRnnCell(1, HIDDEN, Activation.IDENTITY, CellInit.of(Init.zeros(), recurrent, Init.zeros()),
                new Rng(5));
        Tensor h0 = Tensor.randn(new Rng(9), 4, HIDDEN);
        Tensor outputs;
        try (var scope = Autograd.noGrad()) {
            outputs = cell.forwardSequence(Variable.constant(Tensor.zeros(4, STEPS, 1)), null, State.of(Variable.constant(h0)))
                    .outputs().value();
        }
        double start = norm(h0.toArray());
        double[] growth = new double[STEPS];
        for (int t = 0; t < STEPS; t++) {
            double square = 0;
            for (int b = 0; b < 4; b++) {
                for (int j = 0; j < HIDDEN; j++) {
                    square += Math.pow(outputs.get(b, t, j), 2);
                }
            }
            growth[t] = Math.sqrt(square) / start;
        }
        return growth;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void anOrthogonalRecurrentMatrixKeepsTheStateNormFor100StepsWhereAStandardNormalOneExplodes() {
        double[] orthogonal = linearStateGrowth(Init.orthogonal(1f));
        for (int t = 0; t < STEPS; t++) {
            assertEquals(1.0, orthogonal[t], 1e-3, "orthogonal: norm ratio at step " + t);
        }
        double[] normal = linearStateGrowth(STANDARD_NORMAL);
        // Its spectral radius is about √32 ≈ 5.7: 1e15 after 20 steps, float overflow long before 100.
        assertTrue(normal[19] > 1e10, "N(0, 1) after 20 steps: " + normal[19]);
        assertTrue(!Double.isFinite(normal[STEPS - 1]), "N(0, 1) after 100 steps: " + normal[STEPS - 1]);
    }

    /** Mean square of the output over that of the input, through 30 layers of 64 units (no bias). */
    private static double scaleThroughDepth(Init init, Activation activation) {
        Rng rng = new Rng(17);
        Tensor x = Tensor.randn(rng, 256, 64);
        Variable y = Variable.constant(x);
        try (var scope = Autograd.noGrad()) {
            for (int layer = 0; layer < 30; layer++) {
                Dense dense = new Dense(64, 64, activation, rng);
                init.fill(dense.weight().value(), rng);
                dense.bias().value().fill(0f);
                y = dense.forward(y, Context.inference());
            }
        }
        return Math.pow(norm(y.value().toArray()) / norm(x.toArray()), 2);
    }

    @Test
    void glorotKeepsTheScaleOfLinearLayersAndHeTheScaleOfReluLayers() {
        // Glorot: Var(W) = 2/(fan_in + fan_out) = 1/64 keeps E[y²] = E[x²] through linear (or tanh
        // near 0) layers, but ReLU zeroes half of it: ×½ per layer. He: Var(W) = 2/fan_in makes up
        // for exactly that half, and doubles the scale of linear layers.
        double glorotLinear = scaleThroughDepth(Init.glorotNormal(), Activation.IDENTITY);
        double heRelu = scaleThroughDepth(Init.heNormal(), Activation.RELU);
        double glorotRelu = scaleThroughDepth(Init.glorotNormal(), Activation.RELU);
        double heLinear = scaleThroughDepth(Init.heNormal(), Activation.IDENTITY);
        assertTrue(glorotLinear > 0.1 && glorotLinear < 10, "Glorot, linear: " + glorotLinear);
        assertTrue(heRelu > 0.1 && heRelu < 10, "He, ReLU: " + heRelu);
        assertTrue(glorotRelu < 1e-6, "Glorot, ReLU (2^-30 ≈ 1e-9): " + glorotRelu);
        assertTrue(heLinear > 1e6, "He, linear (2^30 ≈ 1e9): " + heLinear);
    }

    @Test
    void anIdentityInitializedReluRnnCarriesTheGradient100StepsBackWhereTheDefaultTanhRnnLosesIt() {
        Tensor x = Tensor.uniform(new Rng(3), 0f, 1f, 8, STEPS, 4);
        SimpleRnnCell irnn = new SimpleRnnCell(4, HIDDEN, Activation.RELU, CellInit.identityRecurrent(), new Rng(1));
        SimpleRnnCell tanh = new SimpleRnnCell(4, HIDDEN, new Rng(1));
        double[] irnnFlow = GradientFlow.inputGradientNorms(irnn, x);
        double[] tanhFlow = GradientFlow.inputGradientNorms(tanh, x);
        // ‖∂L/∂x(0)‖ / ‖∂L/∂x(99)‖ for L on the final state: 0.96 for IRNN, 1e-22 for tanh with
        // PyTorch's default U(±1/√32) weights.
        double irnnRatio = irnnFlow[0] / irnnFlow[STEPS - 1];
        double tanhRatio = tanhFlow[0] / tanhFlow[STEPS - 1];
        assertTrue(irnnRatio > 0.5 && irnnRatio < 2, "IRNN: " + irnnRatio);
        assertTrue(tanhRatio < 1e-10, "tanh, default init: " + tanhRatio);
    }
}
