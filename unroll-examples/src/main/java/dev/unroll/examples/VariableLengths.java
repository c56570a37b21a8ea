package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.nn.SequenceResult;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;

/**
 * Seed §8: sequences of different lengths in one batch. The seed's second instance has one step;
 * it is padded with a zero vector to the batch's two steps and the lengths {@code [2, 1, 2, 2]}
 * are passed along. As in TensorFlow's {@code dynamic_rnn(sequence_length=...)}: outputs past an
 * instance's length are zero vectors, and the returned state is the state at its last valid step
 * (not the state after running over the padding).
 *
 * <p>Run: {@code unroll-examples/run VariableLengths}.
 */
public final class VariableLengths {
    /** The seed's {@code seq_length_batch}. */
    public static final int[] SEED_LENGTHS = {2, 1, 2, 2};

    private VariableLengths() {
    }

    /** The cell over the padded batch with per-instance lengths. */
    public static SequenceResult run(RecurrentCell cell, Tensor batch, int[] lengths) {
        try (var inference = Autograd.noGrad()) {
            return cell.forwardSequence(Variable.constant(batch), lengths, null);
        }
    }

    /** Output of instance {@code b} at step {@code t}. */
    static float[] output(SequenceResult r, int b, int t) {
        Tensor y = r.outputs().value();
        return y.slice(0, b, b + 1).slice(1, t, t + 1).toArray();
    }

    /** Final state of instance {@code b}. */
    static float[] state(SequenceResult r, int b) {
        return r.finalState().h().value().slice(0, b, b + 1).toArray();
    }

    public static void main(String[] args) {
        Args.parse("VariableLengths", args, a -> a);
        RecurrentCell cell = StaticUnrolling.seedCell();
        SequenceResult r = run(cell, PackingSequences.seedBatch(), SEED_LENGTHS);
        System.out.println("lengths " + Arrays.toString(SEED_LENGTHS) + "; outputs =\n" + r.outputs().value());
        System.out.println("states =\n" + r.finalState().h().value());
        System.out.println("instance 2, step 1 (padding): output " + Arrays.toString(output(r, 1, 1)));
        System.out.println("instance 2's state is its step-0 output: " + Arrays.equals(state(r, 1), output(r, 1, 0)));
        // Lengths that cannot be right are refused with a message, never silently clipped.
        for (int[] bad : new int[][] {{2, 0, 2, 2}, {2, 3, 2, 2}, {2, 1, 2}}) {
            try {
                run(cell, PackingSequences.seedBatch(), bad);
            } catch (IllegalArgumentException e) {
                System.out.println("lengths " + Arrays.toString(bad) + " -> " + e.getMessage());
            }
        }
    }
}
