package dev.unroll.data;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * Cuts a series of values into training windows (seed §11): a window of {@code steps} inputs
 * {@code series[s .. s+steps)} with the target {@code series[s+1 .. s+steps]}, the same window shifted
 * one step ahead, so that at every step the network learns to predict the next value. One window thus
 * needs {@code steps + 1} values, and a series of {@code n} values holds {@code n - steps} of them.
 *
 * <p>The result is a {@link SequencePairs} of {@code [N, steps, 1]} tensors (one feature per step).
 * {@link #all} copies every window, {@code steps} times the series in memory; for long series,
 * draw random batches with {@link #sample} instead.
 */
public final class Windows {
    private Windows() {
    }

    /** How many windows of {@code steps} (plus the one-step-ahead target) fit in {@code length} values. */
    public static int count(int length, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("window length must be at least 1 step, got " + steps);
        }
        if (length < steps + 1) {
            throw new IllegalArgumentException("series has " + length + " values; a window of " + steps
                    + " steps needs at least " + (steps + 1));
        }
        return length - steps;
    }

    /** Every window of the series, starting at 0, 1, ..., in order. */
    public static SequencePairs all(float[] series, int steps) {
        int[] starts = new int[count(series.length, steps)];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = i;
        }
        return at(series, steps, starts);
    }

    /** {@code batchSize} windows starting at uniformly random positions (with replacement). */
    public static SequencePairs sample(float[] series, int steps, int batchSize, Rng rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        int windows = count(series.length, steps);
        int[] starts = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            starts[i] = rng.nextInt(windows);
        }
        return at(series, steps, starts);
    }

    /** The windows of {@code steps} starting at {@code starts}, which the caller has checked fit. */
    static SequencePairs at(float[] series, int steps, int[] starts) {
        Tensor inputs = Tensor.zeros(starts.length, steps, 1);
        Tensor targets = Tensor.zeros(starts.length, steps, 1);
        for (int i = 0; i < starts.length; i++) {
            System.arraycopy(series, starts[i], inputs.data(), i * steps, steps);
            System.arraycopy(series, starts[i] + 1, targets.data(), i * steps, steps);
        }
        return new SequencePairs(inputs, targets);
    }
}
