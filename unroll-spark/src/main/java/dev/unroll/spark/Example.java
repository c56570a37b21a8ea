package dev.unroll.spark;

import java.io.Serializable;

/**
 * One row of a training or scoring table, read by {@link SequenceColumns}: its sequence as
 * {@code steps × features} values, its valid length, and its label or per-step targets.
 *
 * @param values         {@code steps × features} values, step by step
 * @param length         valid steps, at most {@code steps}
 * @param label          the class, or -1 without labels
 * @param targets        {@code targetSteps × targetFeatures} values, or null
 */
record Example(float[] values, int steps, int features, int length, int label, float[] targets, int targetSteps,
               int targetFeatures) implements Serializable {
}
