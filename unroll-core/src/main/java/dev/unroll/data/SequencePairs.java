package dev.unroll.data;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/**
 * Input sequences with a target sequence each, for sequence-to-sequence regression (seed §11): in
 * time-series prediction the target is the input window shifted one step ahead. Both tensors are
 * {@code [N, steps, features]} with the same shape.
 *
 * @param inputs what the network reads, {@code [N, steps, features]}
 * @param targets what it should output at every step, same shape
 */
public record SequencePairs(Tensor inputs, Tensor targets) {

    /** Checks that inputs and targets are rank 3 and of one shape. */
    public SequencePairs {
        Shape.requireRank("sequence pairs inputs", inputs.shape(), 3, "[N, steps, features]");
        Shape.requireEqual("sequence pairs targets", inputs.shape(), targets.shape());
    }

    /** Number of pairs. */
    public int size() {
        return inputs.dim(0);
    }

    /** The pairs at {@code indices}, in that order, copied (a shuffled mini-batch). */
    public SequencePairs select(int[] indices) {
        return new SequencePairs(Gather.rows(inputs, indices), Gather.rows(targets, indices));
    }
}
