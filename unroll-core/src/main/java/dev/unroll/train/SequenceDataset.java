package dev.unroll.train;

import dev.unroll.data.Gather;
import dev.unroll.nn.SequenceLengths;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/**
 * A set of sequences held in memory with their targets: {@code inputs [N, time, features]}, and
 * either one class label per sequence (sequence classification, seed §10) or per-step targets
 * {@code [N, steps, outputs]} (forecasting, seed §11; a sequence-to-sequence model may have
 * {@code steps ≠ time}, §3), with optional per-sequence lengths.
 */
public final class SequenceDataset {
    private final Tensor inputs;
    private final Tensor targets;
    private final int[] labels;
    private final int[] lengths;

    private SequenceDataset(Tensor inputs, Tensor targets, int[] labels, int[] lengths) {
        Shape.requireRank("dataset inputs", inputs.shape(), 3, "[N, time, features]");
        int n = inputs.dim(0);
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("dataset: " + n + " input sequences but " + labels.length + " labels");
        }
        if (targets != null && (targets.rank() < 2 || targets.dim(0) != n)) {
            throw new IllegalArgumentException("dataset targets: expected [" + n + ", steps, ...] (one row per input sequence "
                    + Shape.toString(inputs.shape()) + "), got " + Shape.toString(targets.shape()));
        }
        if (targets != null && lengths != null && targets.rank() == 3 && targets.dim(1) != inputs.dim(1)) {
            throw new IllegalArgumentException("dataset targets: with sequence lengths per-step targets need the inputs' " + inputs.dim(1)
                    + " steps, got " + Shape.toString(targets.shape()));
        }
        SequenceLengths.validate(lengths, n, inputs.dim(1));
        this.inputs = inputs;
        this.targets = targets;
        this.labels = labels;
        this.lengths = lengths;
    }

    /** Sequences with one class label each. */
    public static SequenceDataset classification(Tensor inputs, int[] labels) {
        return new SequenceDataset(inputs, null, labels.clone(), null);
    }

    /** Sequences with a target at every step. */
    public static SequenceDataset regression(Tensor inputs, Tensor targets) {
        return new SequenceDataset(inputs, targets, null, null);
    }

    /** The same data with per-sequence lengths (padding beyond them is ignored by losses and layers). */
    public SequenceDataset withLengths(int[] lengths) {
        return new SequenceDataset(inputs, targets, labels, lengths.clone());
    }

    public int size() {
        return inputs.dim(0);
    }

    public Tensor inputs() {
        return inputs;
    }

    public Tensor targets() {
        return targets;
    }

    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }

    /** The first {@code n} sequences. */
    public SequenceDataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Batch b = batch(idx);
        return new SequenceDataset(b.inputs(), b.targets(), b.labels(), b.lengths());
    }

    /** The batch of the sequences at {@code indices}, in that order. */
    public Batch batch(int[] indices) {
        return new Batch(Gather.rows(inputs, indices),
                targets == null ? null : Gather.rows(targets, indices),
                labels == null ? null : Gather.elements(labels, indices),
                lengths == null ? null : Gather.elements(lengths, indices));
    }
}
