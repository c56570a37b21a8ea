package dev.unroll.infer;

import dev.unroll.tensor.Tensor;

/**
 * A classifier's answer for a batch of sequences.
 *
 * @param classes       per sequence, the class of highest score (the first on ties)
 * @param probabilities {@code [batch, classes]}: the softmax of the scores
 */
public record Classification(int[] classes, Tensor probabilities) {
}
