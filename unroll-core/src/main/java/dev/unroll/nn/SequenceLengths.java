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

    private static String abbreviated(int[] a) {
        return a.length <= 16 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 16)).replace("]", ", ...]");
    }
}
