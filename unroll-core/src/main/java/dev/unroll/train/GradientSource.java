package dev.unroll.train;

import dev.unroll.tensor.Rng;

/**
 * A training set that the fit loop ({@link Trainer#fit(GradientSource, SequenceDataset)}) reads by
 * index without holding it: given the indices of a global batch, it computes the summed loss and
 * gradient of those examples. {@link Trainer#fit(SequenceDataset, SequenceDataset)} does this by
 * running the model on a batch in memory; a distributed implementation runs a job whose tasks each
 * compute the sums of the examples they hold, and adds the partial sums in a fixed order.
 *
 * <p>The fit loop draws the batches (a pure function of the seed and the epoch), divides by the
 * global count, checks, clips and steps the optimizer; the source only computes.
 */
public interface GradientSource {

    /** The number of training examples; batches are drawn from indices {@code 0 .. size()-1}. */
    int size();

    /**
     * Leaves in the trainer's model's gradient buffer the gradient of the loss summed over the
     * examples at {@code indices} (in that order), and returns the sums.
     *
     * @param dropout the trainer's dropout stream: a source that runs the model itself draws its
     *                masks from it; one that runs elsewhere may draw seeds from it, as long as it
     *                draws the same number of values whatever the number of workers
     */
    BatchSums gradients(int[] indices, Rng dropout);
}
