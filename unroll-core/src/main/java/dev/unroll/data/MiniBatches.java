package dev.unroll.data;

import dev.unroll.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the examples {@code 0 .. count-1} of a data set into mini-batches of {@code batchSize}
 * indices, the last batch keeping what remains (it may be smaller). {@link #shuffled} draws a new
 * order per epoch (Fisher–Yates, {@link Rng#permutation}), so training with one {@code Rng} is
 * reproducible epoch after epoch; {@link #inOrder} is for evaluation. Gather the examples of a batch
 * with {@link LabeledData#select} or {@link SequencePairs#select}.
 */
public final class MiniBatches {
    private final int count;
    private final int batchSize;

    /** Batches of {@code batchSize} over {@code count} examples. */
    public MiniBatches(int count, int batchSize) {
        if (count < 0) {
            throw new IllegalArgumentException("mini-batches: example count must not be negative, got " + count);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("mini-batches: batch size must be at least 1, got " + batchSize);
        }
        this.count = count;
        this.batchSize = batchSize;
    }

    public int count() {
        return count;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch, the partial last one included: {@code ceil(count / batchSize)}. */
    public int batchesPerEpoch() {
        return (count + batchSize - 1) / batchSize;
    }

    /** One epoch in a fresh random order drawn from {@code rng}. */
    public List<int[]> shuffled(Rng rng) {
        return split(rng.permutation(count));
    }

    /** One epoch in the order {@code 0, 1, ..., count-1}. */
    public List<int[]> inOrder() {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        return split(order);
    }

    private List<int[]> split(int[] order) {
        List<int[]> batches = new ArrayList<>(batchesPerEpoch());
        for (int start = 0; start < count; start += batchSize) {
            int end = Math.min(count, start + batchSize);
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}
