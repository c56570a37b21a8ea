package dev.unroll.data;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * Sequences of unequal lengths packed into one batch (seed §8): {@code inputs [batch, maxSteps,
 * features]}, each sequence followed by zero vectors up to the longest, and {@code lengths[batch]},
 * each sequence's true number of steps, which the recurrent layers take to ignore the padding.
 *
 * @param inputs the zero-padded batch, {@code [batch, maxSteps, features]}
 * @param lengths the number of valid steps of each instance, each in {@code [1, maxSteps]}
 */
public record PaddedBatch(Tensor inputs, int[] lengths) {

    /** Checks the shape and that there is one length per instance, within the time axis. */
    public PaddedBatch {
        Shape.requireRank("padded batch", inputs.shape(), 3, "[batch, maxSteps, features]");
        if (lengths.length != inputs.dim(0)) {
            throw new IllegalArgumentException("padded batch: " + inputs.dim(0) + " instances but " + lengths.length
                    + " lengths");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1 || lengths[i] > inputs.dim(1)) {
                throw new IllegalArgumentException("padded batch: length " + lengths[i] + " of instance " + i
                        + " is outside [1, " + inputs.dim(1) + "]");
            }
        }
    }

    /** Pads sequences given as {@code [steps][features]} arrays. */
    public static PaddedBatch fromArrays(List<float[][]> sequences) {
        int[] steps = new int[sequences.size()];
        int[] features = new int[sequences.size()];
        for (int s = 0; s < steps.length; s++) {
            float[][] sequence = sequences.get(s);
            steps[s] = sequence.length;
            features[s] = sequence.length == 0 ? 0 : sequence[0].length;
            for (int t = 1; t < sequence.length; t++) {
                if (sequence[t].length != features[s]) {
                    throw new IllegalArgumentException("pad: sequence " + s + ", step " + t + " has "
                            + sequence[t].length + " features, expected " + features[s] + " like its step 0");
                }
            }
        }
        Tensor inputs = allocate(steps, features);
        int maxSteps = inputs.dim(1);
        int width = inputs.dim(2);
        for (int s = 0; s < steps.length; s++) {
            float[][] sequence = sequences.get(s);
            for (int t = 0; t < sequence.length; t++) {
                System.arraycopy(sequence[t], 0, inputs.data(), (s * maxSteps + t) * width, width);
            }
        }
        return new PaddedBatch(inputs, steps);
    }

    /** Pads sequences given as {@code [steps, features]} tensors. */
    public static PaddedBatch fromTensors(List<Tensor> sequences) {
        int[] steps = new int[sequences.size()];
        int[] features = new int[sequences.size()];
        for (int s = 0; s < steps.length; s++) {
            Tensor sequence = sequences.get(s);
            Shape.requireRank("pad: sequence " + s, sequence.shape(), 2, "[steps, features]");
            steps[s] = sequence.dim(0);
            features[s] = sequence.dim(1);
        }
        Tensor inputs = allocate(steps, features);
        int maxSteps = inputs.dim(1);
        int width = inputs.dim(2);
        for (int s = 0; s < steps.length; s++) {
            Tensor sequence = sequences.get(s);
            // A contiguous [steps, features] tensor is exactly the first rows of its padded block.
            System.arraycopy(sequence.data(), sequence.offset(), inputs.data(), s * maxSteps * width, sequence.size());
        }
        return new PaddedBatch(inputs, steps);
    }

    /** Checks the sequences agree and returns the zero tensor {@code [batch, maxSteps, features]}. */
    private static Tensor allocate(int[] steps, int[] features) {
        if (steps.length == 0) {
            throw new IllegalArgumentException("pad: no sequences given");
        }
        int maxSteps = 0;
        for (int s = 0; s < steps.length; s++) {
            if (steps[s] == 0) {
                throw new IllegalArgumentException("pad: sequence " + s + " is empty; every sequence needs at least"
                        + " one step");
            }
            if (features[s] != features[0]) {
                throw new IllegalArgumentException("pad: sequence " + s + " has " + features[s]
                        + " features per step, expected " + features[0] + " like sequence 0");
            }
            maxSteps = Math.max(maxSteps, steps[s]);
        }
        return Tensor.zeros(steps.length, maxSteps, features[0]);
    }
}
