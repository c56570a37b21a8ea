package dev.unroll.nn;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;

/**
 * Creative generation of a univariate series (seed §14): start from a seed sequence, predict the
 * next value, append it, repeat. The model maps {@code [batch, time, 1]} to per-step predictions
 * {@code [batch, time, 1]} (e.g. a recurrent layer and a dense projection, seed §12).
 */
public final class Generation {
    private Generation() {
    }

    /**
     * The seed's way: each new value is the last-step prediction of the model re-run on the last
     * {@code window} values. Costs a whole window per value.
     *
     * @return the seed followed by {@code count} generated values
     */
    public static float[] windowRerun(Sequential model, float[] seed, int window, int count) {
        check(seed, count);
        if (window < 1 || seed.length < window) {
            throw new IllegalArgumentException("window re-run: the window (" + window + ") must be between 1 and the seed length ("
                    + seed.length + ")");
        }
        float[] series = java.util.Arrays.copyOf(seed, seed.length + count);
        for (int i = 0; i < count; i++) {
            int end = seed.length + i;
            Tensor x = Tensor.of(java.util.Arrays.copyOfRange(series, end - window, end), 1, window, 1);
            Tensor y = model.predict(x);
            if (!y.hasShape(1, window, 1)) {
                throw new ShapeException("window re-run needs per-step predictions [1, " + window + ", 1], the model gives "
                        + Shape.toString(y.shape()));
            }
            series[end] = y.get(0, window - 1, 0);
        }
        return series;
    }

    /**
     * Stateful generation: the seed is fed one step at a time through a {@link StreamingModel},
     * then each prediction is fed back as the next input. One small step per value, much faster
     * than {@link #windowRerun} — but the state covers the whole history, not the last window, so
     * the values can differ.
     *
     * @return the seed followed by {@code count} generated values
     */
    public static float[] stateful(Sequential model, float[] seed, int count) {
        check(seed, count);
        StreamingModel stream = new StreamingModel(model, 1);
        if (stream.inputSize() != 1 || stream.outputSize() != 1) {
            throw new ShapeException("stateful generation needs a model with 1 input and 1 output per step, got "
                    + stream.inputSize() + " and " + stream.outputSize());
        }
        float[] series = java.util.Arrays.copyOf(seed, seed.length + count);
        float[] x = new float[1];
        float[] y = null;
        for (float v : seed) {
            x[0] = v;
            y = stream.step(x);
        }
        for (int i = 0; i < count; i++) {
            series[seed.length + i] = y[0];
            x[0] = y[0];
            y = stream.step(x);
        }
        return series;
    }

    private static void check(float[] seed, int count) {
        if (seed.length == 0) {
            throw new IllegalArgumentException("generation needs a non-empty seed sequence");
        }
        if (count < 0) {
            throw new IllegalArgumentException("generation: count must be >= 0, got " + count);
        }
    }
}
