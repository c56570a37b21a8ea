package dev.unroll.train;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/** Small synthetic sequence tasks that a few epochs solve. */
final class ToyData {
    private ToyData() {
    }

    /** Class 1 when the first feature's sum over time is positive, else 0. */
    static SequenceDataset signOfSum(int n, int steps, int features, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, steps, features);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int t = 0; t < steps; t++) {
                sum += x.get(i, t, 0);
            }
            labels[i] = sum > 0 ? 1 : 0;
        }
        return SequenceDataset.classification(x, labels);
    }

    /** Target at step t is the input at step t−1 (a one-step memory task), per-step regression. */
    static SequenceDataset delayedEcho(int n, int steps, long seed) {
        return delayedEcho(n, steps, 1, seed);
    }

    /** Target at step t is the input at step t − delay (0 before), inputs from U(−1, 1). */
    static SequenceDataset delayedEcho(int n, int steps, int delay, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.uniform(rng, -1f, 1f, n, steps, 1);
        Tensor y = Tensor.zeros(n, steps, 1);
        for (int i = 0; i < n; i++) {
            for (int t = delay; t < steps; t++) {
                y.set(x.get(i, t - delay, 0), i, t, 0);
            }
        }
        return SequenceDataset.regression(x, y);
    }
}
