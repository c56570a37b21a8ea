package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.nn.SequenceResult;
import dev.unroll.nn.StaticUnroll;
import dev.unroll.tensor.Tensor;

/**
 * Seed §7: {@code dynamic_rnn} — the whole {@code [batch, steps, inputs]} batch in one call, no
 * unstacking into steps. In Unroll this is the cell's fused sequence kernel (all input projections
 * as one matrix product, a loop over time inside). With the same cell it gives exactly what §5's
 * static unrolling gives, which this example shows.
 *
 * <p>Run: {@code unroll-examples/run DynamicUnrolling}.
 */
public final class DynamicUnrolling {
    private DynamicUnrolling() {
    }

    /** The cell over a packed {@code [batch, steps, inputs]} tensor, sequences of full length. */
    public static SequenceResult run(RecurrentCell cell, Tensor batch) {
        try (var inference = Autograd.noGrad()) {
            return cell.forwardSequence(Variable.constant(batch), null, null);
        }
    }

    /** Largest absolute difference between the dynamic outputs and final state and the static ones. */
    public static float differenceFromStatic(SequenceResult dynamic, StaticUnroll.Result unrolled) {
        float worst = Measures.maxAbsDifference(dynamic.finalState().h().value(), unrolled.finalState().h().value());
        for (int t = 0; t < unrolled.outputs().size(); t++) {
            Tensor step = dynamic.outputs().value().slice(1, t, t + 1).reshape(unrolled.outputs().get(t).shape());
            worst = Math.max(worst, Measures.maxAbsDifference(step, unrolled.outputs().get(t).value()));
        }
        return worst;
    }

    public static void main(String[] args) {
        Args.parse("DynamicUnrolling", args, a -> a);
        RecurrentCell cell = StaticUnrolling.seedCell();
        SequenceResult r = run(cell, PackingSequences.seedBatch());
        System.out.println("outputs, [batch, steps, neurons] = " + java.util.Arrays.toString(r.outputs().shape()) + "\n"
                + r.outputs().value());
        System.out.println("final state =\n" + r.finalState().h().value());
        float difference = differenceFromStatic(r, StaticUnrolling.run(cell));
        System.out.printf("largest difference from static unrolling (§5) with the same cell: %.1e "
                + "(float rounding: the fused kernel adds b_ih + b_hh once, before the loop)%n", difference);
    }
}
