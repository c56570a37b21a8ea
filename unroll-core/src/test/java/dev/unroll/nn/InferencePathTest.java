package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Without gradients the fused kernels take a lean path (no per-step buffers, the input read in
 * place); it gives the same outputs and final states as the training path, with lengths, initial
 * states and a state-dropout mask — and skips the outputs when asked.
 */
class InferencePathTest {

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-6 + 1e-6 * Math.abs(e[i]), what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void sameNumbersAsTheTrainingPath(Cells.Kind kind) {
        RecurrentCell cell = Cells.create(kind, 3, 6, 13);
        int batch = 40;
        int steps = 7;
        Rng rng = new Rng(4);
        Tensor x = Tensor.uniform(rng, -1f, 1f, batch, steps, 3);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + rng.nextInt(steps);
        }
        Variable h0 = Variable.parameter("h0", Tensor.uniform(rng, -0.5f, 0.5f, batch, 6));
        Variable c0 = cell.type() == CellType.LSTM ? Variable.parameter("c0", Tensor.uniform(rng, -0.5f, 0.5f, batch, 6)) : null;
        float[] mask = new float[steps * batch * 6];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextFloat() < 0.7f ? 1f / 0.7f : 0f;
        }
        for (float[] m : new float[][] {null, mask}) {
            // Training path: the input requires gradients.
            SequenceResult trained = cell.forwardSequence(Variable.parameter("x", x), lengths, new State(h0, c0), m, true);
            SequenceResult inferred;
            SequenceResult stateOnly;
            try (var scope = Autograd.noGrad()) {
                inferred = cell.forwardSequence(Variable.constant(x), lengths, new State(h0, c0), m, true);
                stateOnly = cell.forwardSequence(Variable.constant(x), lengths, new State(h0, c0), m, false);
            }
            String what = kind + (m == null ? "" : " with state dropout");
            assertClose(what + " outputs", trained.outputs().value(), inferred.outputs().value());
            assertClose(what + " final h", trained.finalState().h().value(), inferred.finalState().h().value());
            assertClose(what + " final h, outputs skipped", trained.finalState().h().value(), stateOnly.finalState().h().value());
            assertNull(stateOnly.outputs());
            if (c0 != null) {
                assertClose(what + " final c", trained.finalState().c().value(), inferred.finalState().c().value());
            }
        }
    }
}
