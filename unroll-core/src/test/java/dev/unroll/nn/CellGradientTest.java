package dev.unroll.nn;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Central finite differences through several time steps, for every cell, on both paths (fused
 * sequence kernel and per-step autograd), with and without sequence lengths: gradients of every
 * weight, the input and the initial state.
 */
class CellGradientTest {
    private void checkCell(Cells.Kind kind, boolean fused, int[] lengths) {
        // ReLU's kink: with ε = 1e-2 a perturbed weight can move some pre-activation across 0 and
        // the difference quotient is then meaningless; 1e-3 avoids that here, at the price of more
        // float32 rounding noise in the quotient (hence the looser absolute tolerance).
        GradCheck check = kind == Cells.Kind.RNN_RELU
                ? GradCheck.standard().eps(1e-3).tolerance(6e-3, 1e-2)
                : GradCheck.standard();
        RecurrentCell cell = Cells.create(kind, 3, 4, 21);
        Rng rng = new Rng(8);
        Variable x = Variable.parameter("x", Tensor.uniform(rng, -1f, 1f, 3, 4, 3));
        Variable h0 = Variable.parameter("h0", Tensor.uniform(rng, -0.5f, 0.5f, 3, 4));
        Variable c0 = cell.type() == CellType.LSTM ? Variable.parameter("c0", Tensor.uniform(rng, -0.5f, 0.5f, 3, 4)) : null;
        State initial = new State(h0, c0);
        List<Variable> leaves = new ArrayList<>();
        for (Parameter p : cell.parameters()) {
            leaves.add(p.variable());
        }
        leaves.add(x);
        leaves.add(h0);
        if (c0 != null) {
            leaves.add(c0);
        }
        check.checkLeaves(kind + (fused ? " fused" : " static") + (lengths == null ? "" : " with lengths"), () -> {
            SequenceResult r = fused ? cell.forwardSequence(x, lengths, initial) : StaticUnroll.runPacked(cell, x, lengths, initial);
            List<Variable> parts = new ArrayList<>(List.of(r.outputs().reshape(-1), r.finalState().h().reshape(-1)));
            if (c0 != null) {
                parts.add(r.finalState().c().reshape(-1));
            }
            return dev.unroll.autograd.ShapeOps.concat(0, parts);
        }, leaves);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void fusedSequence(Cells.Kind kind) {
        checkCell(kind, true, null);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void fusedSequenceWithLengths(Cells.Kind kind) {
        checkCell(kind, true, new int[] {4, 1, 2});
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void perStepAutograd(Cells.Kind kind) {
        checkCell(kind, false, new int[] {3, 4, 1});
    }
}
