package dev.unroll.nn;

import dev.unroll.tensor.Rng;

/**
 * What a forward pass needs besides the input: the batch's sequence lengths, whether it is
 * training (dropout on) and the seeded source of dropout masks.
 *
 * @param lengths  per-instance lengths, or null when every sequence has all its steps
 * @param training true while training: dropout active
 * @param rng      dropout masks; required when training with dropout
 * @param carry    recurrent states carried between passes (stateful), or null: every pass starts
 *                 from zero states
 */
public record Context(int[] lengths, boolean training, Rng rng, StateCarry carry) {

    /** Inference on full-length sequences. */
    public static Context inference() {
        return new Context(null, false, null, null);
    }

    /** Inference on sequences of the given lengths. */
    public static Context inference(int[] lengths) {
        return new Context(lengths, false, null, null);
    }

    /** Training on sequences of the given lengths (or null), dropout masks from {@code rng}. */
    public static Context training(int[] lengths, Rng rng) {
        return new Context(lengths, true, rng, null);
    }

    /** The same context, carrying recurrent states in {@code carry}. */
    public Context withCarry(StateCarry c) {
        return new Context(lengths, training, rng, c);
    }
}
