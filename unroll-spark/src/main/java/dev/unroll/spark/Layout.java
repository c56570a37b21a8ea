package dev.unroll.spark;

import java.io.Serializable;

/**
 * The shape of a whole training table, found in one pass before its rows are packed into blocks:
 * how many rows, the longest sequence (every block pads to it, as one in-memory data set would),
 * the features per step, the targets' shape, and whether sequences need lengths.
 *
 * @param rows           number of rows
 * @param steps          the longest sequence's steps
 * @param shortest       the shortest sequence's steps (or valid length)
 * @param features       features per step (every row has the same)
 * @param targetSteps    steps of the longest target sequence (0 without targets)
 * @param targetFeatures features per target step (0 without targets)
 * @param labels         whether rows have labels
 */
record Layout(long rows, int steps, int shortest, int features, int targetSteps, int targetFeatures, boolean labels)
        implements Serializable {

    static Layout of(Example e) {
        return new Layout(1, e.steps(), e.length(), e.features(), e.targetSteps(), e.targetFeatures(), e.label() >= 0);
    }

    /** Both tables together; rows that disagree on features or on having labels are an error. */
    Layout merge(Layout o) {
        if (features != o.features) {
            throw new IllegalArgumentException("sequences have " + features + " and " + o.features + " features per step; all rows need the same");
        }
        if (targetFeatures != o.targetFeatures) {
            throw new IllegalArgumentException("targets have " + targetFeatures + " and " + o.targetFeatures + " features per step; all rows need the same");
        }
        if (labels != o.labels) {
            throw new IllegalArgumentException("some rows have labels and others not");
        }
        return new Layout(rows + o.rows, Math.max(steps, o.steps), Math.min(shortest, o.shortest), features,
                Math.max(targetSteps, o.targetSteps), targetFeatures, labels);
    }

    /** Whether the padded sequences need per-row lengths (some are shorter than the longest). */
    boolean lengths() {
        return shortest < steps;
    }
}
