package dev.unroll.train;

import java.io.Serializable;

/**
 * What a gradient-only step over a batch adds up, besides the gradient itself: the loss summed over
 * the terms the loss averages ({@link Loss#count}), their number, the sequences seen and each
 * metric's {@code {sum, count}}. Sums of disjoint batches add ({@link #plus}), so a batch split into
 * chunks gives the same totals as the whole (up to the rounding of the additions, made in a fixed
 * order by whoever adds them).
 *
 * @param lossSum    the loss summed over its terms (its mean times {@code count})
 * @param count      the number of terms: the denominator of the batch's mean loss
 * @param sequences  the number of sequences in the batch
 * @param metricSums one {@code {sum, count}} per metric, in the trainer's metric order
 */
public record BatchSums(double lossSum, double count, int sequences, double[][] metricSums) implements Serializable {
    private static final long serialVersionUID = 1L;

    public BatchSums {
        for (double[] m : metricSums) {
            if (m.length != 2) {
                throw new IllegalArgumentException("batch sums: each metric needs {sum, count}, got " + m.length + " values");
            }
        }
    }

    /** Nothing yet: the start of a sum over chunks. */
    public static BatchSums zero(int metrics) {
        return new BatchSums(0, 0, 0, new double[metrics][2]);
    }

    /** The mean loss of the batch (NaN when it has no terms). */
    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** This batch and {@code other} together. */
    public BatchSums plus(BatchSums other) {
        if (other.metricSums.length != metricSums.length) {
            throw new IllegalArgumentException("batch sums: adding " + other.metricSums.length + " metrics to " + metricSums.length);
        }
        double[][] m = new double[metricSums.length][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[] {metricSums[i][0] + other.metricSums[i][0], metricSums[i][1] + other.metricSums[i][1]};
        }
        return new BatchSums(lossSum + other.lossSum, count + other.count, sequences + other.sequences, m);
    }
}
