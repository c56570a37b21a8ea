package dev.unroll.nn;

import dev.unroll.tensor.Rng;

/**
 * What a forward pass needs besides the input: the batch's sequence lengths, whether it is
 * training (dropout on) and the seeded source of dropout masks.
 *
 * @param lengths  per-instance lengths, or null when every sequence has all its steps
 * @param training true while training: dropout active
 * @param rng      dropout masks; required when training with dropout
 */
public record Context(int[] lengths, boolean training, Rng rng) {

    /** Inference on full-length sequences. */
    public static Context inference() {
        return new Context(null, false, null);
    }

    /** Inference on sequences of the given lengths. */
    public static Context inference(int[] lengths) {
        return new Context(lengths, false, null);
    }

    /** Training on sequences of the given lengths (or null), dropout masks from {@code rng}. */
    public static Context training(int[] lengths, Rng rng) {
        return new Context(lengths, true, rng);
    }
}
