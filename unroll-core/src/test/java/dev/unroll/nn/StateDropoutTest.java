package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * State dropout inside the fused kernels: the same numbers as the step-by-step recursion with the
 * mask applied to the state passed on, gradients that pass finite differences, and no effect at
 * inference.
 */
class StateDropoutTest {
    private static final int B = 3;
    private static final int T = 4;
    private static final int H = 5;
    private static final int[] LENGTHS = {4, 2, 3};

    private static float[] mask(long seed) {
        Rng rng = new Rng(seed);
        float[] m = new float[T * B * H];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < H; j++) {
                    m[(t * B + b) * H + j] = t >= LENGTHS[b] ? 1f : rng.nextFloat() < 0.6f ? 1f / 0.6f : 0f;
                }
            }
        }
        return m;
    }

    /** The recursion written with per-step autograd operations. */
    private static SequenceResult reference(RecurrentCell cell, Variable x, float[] m) {
        State state = cell.zeroState(B);
        List<Variable> outputs = new ArrayList<>();
        List<Variable> steps = x.unstack(1);
        for (int t = 0; t < T; t++) {
            Step step = cell.step(steps.get(t), state);
            Tensor valid = Tensor.zeros(B, 1);
            for (int b = 0; b < B; b++) {
                valid.data()[b] = t < LENGTHS[b] ? 1f : 0f;
            }
            Variable v = Variable.constant(valid);
            Variable dropped = step.state().h().mul(Variable.constant(Tensor.wrap(m, t * B * H, B, H)));
            outputs.add(step.output().mul(v));
            Variable h = state.h().add(dropped.sub(state.h()).mul(v));
            Variable c = state.hasCell() ? state.c().add(step.state().c().sub(state.c()).mul(v)) : null;
            state = new State(h, c);
        }
        return new SequenceResult(ShapeOps.stack(1, outputs), state);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void fusedMatchesTheStepRecursion(Cells.Kind kind) {
        float[] m = mask(17);
        for (boolean fused : new boolean[] {true, false}) {
            RecurrentCell cell = Cells.create(kind, 2, H, 3);
            Variable x = Variable.parameter("x", Tensor.uniform(new Rng(4), -1f, 1f, B, T, 2));
            SequenceResult r = fused ? cell.forwardSequence(x, LENGTHS, null, m, true) : reference(cell, x, m);
            Variable loss = r.outputs().mul(r.outputs()).sum().add(r.finalState().h().sum());
            loss.backward();
            results.add(Tensor.concat(0, List.of(r.outputs().value().reshape(-1), r.finalState().h().value().reshape(-1),
                    cell.weightHh().grad().reshape(-1), cell.weightIh().grad().reshape(-1), x.grad().reshape(-1))));
        }
        float[] fused = results.get(0).toArray();
        float[] ref = results.get(1).toArray();
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], fused[i], 1e-5 + 1e-4 * Math.abs(ref[i]), kind + " [" + i + "]");
        }
    }

    private final List<Tensor> results = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(value = Cells.Kind.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void gradientsPassFiniteDifferences(Cells.Kind kind) {
        RecurrentCell cell = Cells.create(kind, 2, H, 8);
        float[] m = mask(5);
        Variable x = Variable.parameter("x", Tensor.uniform(new Rng(2), -1f, 1f, B, T, 2));
        List<Variable> leaves = new ArrayList<>();
        for (Parameter p : cell.parameters()) {
            leaves.add(p.variable());
        }
        leaves.add(x);
        GradCheck.standard().checkLeaves(kind + " with state dropout", () -> {
            SequenceResult r = cell.forwardSequence(x, LENGTHS, null, m, true);
            return ShapeOps.concat(0, List.of(r.outputs().reshape(-1), r.finalState().h().reshape(-1)));
        }, leaves);
    }

    @Test
    void onlyActiveWhileTraining() {
        Recurrent plain = Recurrent.builder(CellType.LSTM, 2, H).rng(new Rng(1)).build();
        Recurrent dropping = Recurrent.builder(CellType.LSTM, 2, H).stateDropout(0.5f).rng(new Rng(1)).build();
        Variable x = Variable.constant(Tensor.uniform(new Rng(3), -1f, 1f, B, T, 2));
        assertArrayEquals(plain.forward(x).outputs().value().toArray(), dropping.forward(x).outputs().value().toArray());
        float[] trained = dropping.forward(x, null, null, true, new Rng(9)).outputs().value().toArray();
        float[] inference = dropping.forward(x).outputs().value().toArray();
        boolean differs = false;
        for (int i = 0; i < trained.length; i++) {
            differs |= trained[i] != inference[i];
        }
        assertTrue(differs, "state dropout changes training outputs");
    }
}
