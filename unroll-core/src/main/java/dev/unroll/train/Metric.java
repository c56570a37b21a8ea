package dev.unroll.train;

import dev.unroll.tensor.Tensor;
import java.io.Serializable;

/**
 * A quality measure accumulated over batches as a sum and a count (so the value over a data set
 * does not depend on how it was batched, and the sums of a batch's chunks add up). Metrics are
 * {@link Serializable} so that a distributed trainer can ship them to its workers.
 */
public interface Metric extends Serializable {

    /** Name in reports and histories, e.g. {@code accuracy}. */
    String name();

    /** Adds this batch's contribution: returns {@code {sum, count}}. */
    double[] measure(Tensor prediction, Batch batch);

    /**
     * Top-k accuracy (TensorFlow's {@code in_top_k}; k = 1 is plain accuracy): the fraction of
     * sequences whose label is among the k largest logits. Ties count against the label (a label
     * is in the top k when fewer than k classes score strictly higher).
     */
    static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k accuracy: k must be at least 1, got " + k);
        }
        return new Metric() {
            @Override
            public String name() {
                return k == 1 ? "accuracy" : "top" + k + "_accuracy";
            }

            @Override
            public double[] measure(Tensor logits, Batch batch) {
                int[] labels = batch.labels();
                if (labels == null || logits.rank() != 2) {
                    throw new IllegalArgumentException("accuracy needs logits [batch, classes] and one label per sequence");
                }
                int classes = logits.dim(1);
                float[] z = logits.data();
                int hits = 0;
                for (int i = 0; i < labels.length; i++) {
                    int row = logits.offset() + i * classes;
                    float target = z[row + labels[i]];
                    int higher = 0;
                    for (int c = 0; c < classes; c++) {
                        if (z[row + c] > target) {
                            higher++;
                        }
                    }
                    if (higher < k) {
                        hits++;
                    }
                }
                return new double[] {hits, labels.length};
            }
        };
    }

    /** Plain accuracy (top-1). */
    static Metric accuracy() {
        return topKAccuracy(1);
    }

    /** Mean squared error against per-step targets, over valid steps. */
    static Metric meanSquaredError() {
        return new Metric() {
            @Override
            public String name() {
                return "mse";
            }

            @Override
            public double[] measure(Tensor prediction, Batch batch) {
                Tensor t = batch.targets();
                if (t == null || t.size() != prediction.size()) {
                    throw new IllegalArgumentException("mse metric needs per-step targets shaped like the prediction");
                }
                int size = prediction.dim(0);
                int steps = prediction.rank() == 3 ? prediction.dim(1) : 1;
                int features = prediction.size() / (size * steps);
                float[] w = prediction.rank() == 3 ? Loss.stepWeights(batch, size, steps) : null;
                double sum = 0;
                double count = 0;
                for (int r = 0; r < size * steps; r++) {
                    if (w != null && w[r] == 0f) {
                        continue;
                    }
                    for (int f = 0; f < features; f++) {
                        double d = prediction.data()[prediction.offset() + r * features + f] - t.data()[t.offset() + r * features + f];
                        sum += d * d;
                    }
                    count += features;
                }
                return new double[] {sum, count};
            }
        };
    }
}
