package dev.unroll.data;

import dev.unroll.tensor.Tensor;
import java.util.Arrays;

/**
 * Examples with one class label each, for classification (seed §10): {@code inputs [N, ...]} (for
 * MNIST {@code [N, 28 steps, 28 features]}) and {@code labels[N]}.
 *
 * <p>The tensor and the array are held as given, not copied (data sets are large); treat them as
 * read-only. Mini-batches and subsets are made with {@link #select} and {@link #first}.
 *
 * @param inputs one example per row of the first axis
 * @param labels the class of each example
 */
public record LabeledData(Tensor inputs, int[] labels) {

    /** Checks that there is exactly one label per example. */
    public LabeledData {
        if (inputs.rank() == 0) {
            throw new IllegalArgumentException("labeled data: inputs must be [N, ...], got a scalar");
        }
        if (inputs.dim(0) != labels.length) {
            throw new IllegalArgumentException("labeled data: " + inputs.dim(0) + " examples but " + labels.length
                    + " labels");
        }
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** The first {@code n} examples, as views sharing this data's storage (no copy). */
    public LabeledData first(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("first " + n + " examples requested, but there are " + size());
        }
        int[] shape = inputs.shape();
        shape[0] = n;
        return new LabeledData(Tensor.wrap(inputs.data(), inputs.offset(), shape), Arrays.copyOf(labels, n));
    }

    /**
     * The examples at {@code indices}, in that order, copied: a shuffled mini-batch, or a random subset
     * of {@code n} with {@code select(Arrays.copyOf(rng.permutation(size()), n))}.
     */
    public LabeledData select(int[] indices) {
        return new LabeledData(Gather.rows(inputs, indices), Gather.elements(labels, indices));
    }

    /** The largest label plus one: the number of classes these labels imply (0 when there are none). */
    public int impliedClasses() {
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max + 1;
    }
}
