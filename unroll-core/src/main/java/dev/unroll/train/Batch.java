package dev.unroll.train;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/**
 * One mini-batch: inputs {@code [batch, time, features]}, and either per-step targets
 * ({@code [batch, steps, outputs]} for regression, or class indices {@code [batch, steps]} stored
 * as floats for per-step classification; {@code steps} may differ from the inputs' {@code time} for
 * a sequence-to-sequence model, unless lengths are given) or one class label per sequence, plus
 * optional lengths.
 *
 * @param inputs  {@code [batch, time, features]}
 * @param targets per-step targets, or null
 * @param labels  one class per sequence, or null
 * @param lengths per-instance lengths, or null (all full)
 */
public record Batch(Tensor inputs, Tensor targets, int[] labels, int[] lengths) {

    public Batch {
        Shape.requireRank("batch inputs", inputs.shape(), 3, "[batch, time, features]");
        int n = inputs.dim(0);
        if (targets != null && (targets.rank() < 2 || targets.dim(0) != n)) {
            throw new IllegalArgumentException("batch targets: expected [" + n + ", steps, ...] (one row per input sequence "
                    + Shape.toString(inputs.shape()) + "), got " + Shape.toString(targets.shape()));
        }
        if (targets != null && lengths != null && targets.rank() == 3 && targets.dim(1) != inputs.dim(1)) {
            throw new IllegalArgumentException("batch targets: with sequence lengths per-step targets need the inputs' " + inputs.dim(1)
                    + " steps, got " + Shape.toString(targets.shape()));
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("batch labels: expected " + n + " (one per sequence), got " + labels.length);
        }
    }

    public int size() {
        return inputs.dim(0);
    }

    public int steps() {
        return inputs.dim(1);
    }

    /**
     * Steps {@code [from, to)} of inputs and targets (for truncated backpropagation through time).
     * Needs full-length sequences and per-step targets.
     */
    public Batch steps(int from, int to) {
        if (lengths != null) {
            throw new IllegalArgumentException("a window of steps needs equal-length sequences; this batch has lengths");
        }
        return new Batch(inputs.slice(1, from, to), targets == null ? null : targets.slice(1, from, to), labels, null);
    }
}
