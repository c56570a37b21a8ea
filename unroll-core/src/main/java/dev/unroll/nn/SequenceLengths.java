package dev.unroll.nn;

import java.util.Arrays;

/** Validation of per-instance sequence lengths (seed §8), with errors that say what is wrong. */
public final class SequenceLengths {
    private SequenceLengths() {
    }

    /**
     * Checks that {@code lengths} (if not null) has one entry per instance, each in
     * {@code [1, steps]}.
     */
    public static void validate(int[] lengths, int batch, int steps) {
        if (lengths == null) {
            return;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("sequence lengths: expected " + batch + " (one per instance), got "
                    + lengths.length + " " + abbreviated(lengths));
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1 || lengths[i] > steps) {
                throw new IllegalArgumentException("sequence lengths: length " + lengths[i] + " of instance " + i
                        + " is outside [1, " + steps + "] (the time dimension is " + steps + ")");
            }
        }
    }

    /**
     * A batch of sequences {@code [batch, time, ...]} must hold at least one instance of at least one
     * step: an empty one has no final state to return (zeros would be an answer to no question).
     */
    public static void requireNonEmpty(String what, int[] shape) {
        if (shape[0] == 0) {
            throw new IllegalArgumentException(what + " " + java.util.Arrays.toString(shape) + " is an empty batch: at least one sequence is needed");
        }
        if (shape[1] == 0) {
            throw new IllegalArgumentException(what + " " + java.util.Arrays.toString(shape) + " has 0 time steps: a sequence needs at least one");
        }
    }

    private static String abbreviated(int[] a) {
        return a.length <= 16 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 16)).replace("]", ", ...]");
    }
}
