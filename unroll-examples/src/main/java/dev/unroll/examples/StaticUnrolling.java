package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.nn.SimpleRnnCell;
import dev.unroll.nn.StaticUnroll;
import dev.unroll.tensor.Rng;
import java.util.List;

/**
 * Seed §5: {@code static_rnn} with a {@code BasicRNNCell} of 5 neurons over the list of per-step
 * inputs {@code [X0, X1]} — one copy of the cell per step, all sharing its weights. Returns the
 * output of every step and the final state; for this cell the state is the last output.
 *
 * <p>Run: {@code unroll-examples/run StaticUnrolling}.
 */
public final class StaticUnrolling {
    private StaticUnrolling() {
    }

    /**
     * The seed's {@code BasicRNNCell(num_units=5)} on 3 inputs: tanh, PyTorch's default
     * initialization U(−1/√5, 1/√5), seeded so that §7 and §8 use the very same weights.
     */
    public static SimpleRnnCell seedCell() {
        return new SimpleRnnCell(RnnByHand.X0.dim(1), 5, new Rng(42));
    }

    /** {@code static_rnn(cell, [X0, X1])}: per-step outputs and the final state. */
    public static StaticUnroll.Result run(RecurrentCell cell) {
        try (var inference = Autograd.noGrad()) {
            return StaticUnroll.run(cell, List.of(Variable.constant(RnnByHand.X0), Variable.constant(RnnByHand.X1)), null, null);
        }
    }

    public static void main(String[] args) {
        Args.parse("StaticUnrolling", args, a -> a);
        StaticUnroll.Result r = run(seedCell());
        System.out.println("Y0 (outputs at t = 0, one row per instance) =\n" + r.outputs().get(0).value());
        System.out.println("Y1 (outputs at t = 1) =\n" + r.outputs().get(1).value());
        System.out.println("final state =\n" + r.finalState().h().value());
        System.out.println("the final state is Y1 (a BasicRNNCell outputs its state): "
                + java.util.Arrays.equals(r.finalState().h().value().toArray(), r.outputs().get(1).value().toArray()));
    }
}
