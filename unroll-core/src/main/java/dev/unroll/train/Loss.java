package dev.unroll.train;

import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.io.Serializable;

/**
 * A training objective: the model's prediction for a batch → a scalar loss.
 *
 * <p>Per-step predictions {@code [batch, time, ...]} are averaged over the valid steps only when the
 * batch has lengths (padding contributes nothing, and gets no gradient); {@link #onSteps} restricts
 * any loss to a window of steps (seed §9: a cost on Y(2), Y(3), Y(4) only).
 *
 * <p>A loss is a mean over terms; {@link #count} says how many, so that a trainer can sum the loss
 * of chunks of a batch and divide once by the batch's count. Losses are {@link Serializable} so that
 * a distributed trainer can ship them to its workers.
 */
public interface Loss extends Serializable {

    /** The loss of {@code prediction} for {@code batch}. */
    Variable compute(Variable prediction, Batch batch);

    /**
     * The number of terms {@link #compute} averages over for a prediction of this shape: the
     * denominator of the mean. The default, one term per sequence, is right for losses that
     * average over sequences; a loss averaging over anything else must say so, or the chunks of a
     * distributed batch get the wrong weights.
     */
    default double count(int[] predictionShape, Batch batch) {
        return batch.size();
    }

    /** Name for reports. */
    String name();

    /**
     * Softmax cross-entropy from logits: {@code [batch, classes]} against the batch's labels, or
     * {@code [batch, time, classes]} against per-step class targets {@code [batch, time]}.
     */
    static Loss softmaxCrossEntropy() {
        return new Loss() {
            @Override
            public Variable compute(Variable logits, Batch batch) {
                if (logits.shape().length == 2) {
                    if (batch.labels() == null) {
                        throw new IllegalArgumentException("cross-entropy on [batch, classes] logits needs one label per sequence");
                    }
                    return Losses.softmaxCrossEntropy(logits, batch.labels());
                }
                Tensor t = batch.targets();
                if (t == null || logits.shape().length != 3 || t.rank() != 2) {
                    throw new ShapeException("cross-entropy: expected logits [batch, classes] with labels, or [batch, time, classes] "
                            + "with class targets [batch, time]; got logits " + Shape.toString(logits.shape())
                            + (t == null ? " and no targets" : " and targets " + Shape.toString(t.shape())));
                }
                int[] classes = new int[t.size()];
                for (int i = 0; i < classes.length; i++) {
                    classes[i] = Math.round(t.data()[t.offset() + i]);
                }
                return Losses.softmaxCrossEntropy(logits, classes, stepWeights(batch, logits.dim(0), logits.dim(1)));
            }

            @Override
            public double count(int[] shape, Batch batch) {
                return shape.length == 2 ? shape[0] : validSteps(batch, shape[0], shape[1]);
            }

            @Override
            public String name() {
                return "cross_entropy";
            }
        };
    }

    /** Mean squared error against the batch's per-step targets (over valid steps). */
    static Loss meanSquaredError() {
        return new Loss() {
            @Override
            public Variable compute(Variable prediction, Batch batch) {
                if (batch.targets() == null) {
                    throw new IllegalArgumentException("mean squared error needs per-step targets");
                }
                Variable target = Variable.constant(batch.targets());
                float[] weights = prediction.shape().length == 3 ? stepWeights(batch, prediction.dim(0), prediction.dim(1)) : null;
                return Losses.meanSquaredError(prediction, target, weights);
            }

            @Override
            public double count(int[] shape, Batch batch) {
                return validElements(shape, batch);
            }

            @Override
            public String name() {
                return "mse";
            }
        };
    }

    /** Mean absolute error against the batch's per-step targets (over valid steps). */
    static Loss meanAbsoluteError() {
        return new Loss() {
            @Override
            public Variable compute(Variable prediction, Batch batch) {
                if (batch.targets() == null) {
                    throw new IllegalArgumentException("mean absolute error needs per-step targets");
                }
                Variable target = Variable.constant(batch.targets());
                float[] weights = prediction.shape().length == 3 ? stepWeights(batch, prediction.dim(0), prediction.dim(1)) : null;
                return Losses.meanAbsoluteError(prediction, target, weights);
            }

            @Override
            public double count(int[] shape, Batch batch) {
                return validElements(shape, batch);
            }

            @Override
            public String name() {
                return "mae";
            }
        };
    }

    /** This loss on steps {@code [from, to)} of per-step predictions and targets only. */
    default Loss onSteps(int from, int to) {
        Loss inner = this;
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("loss window [" + from + ", " + to + ") is empty or negative");
        }
        return new Loss() {
            @Override
            public Variable compute(Variable prediction, Batch batch) {
                Batch window = window(prediction.shape(), batch);
                return inner.compute(prediction.slice(1, from, to), window);
            }

            @Override
            public double count(int[] shape, Batch batch) {
                int[] inWindow = shape.clone();
                inWindow[1] = to - from;
                return inner.count(inWindow, window(shape, batch));
            }

            /** The batch as the window sees it, after checking the prediction has the window's steps. */
            private Batch window(int[] shape, Batch batch) {
                int steps = shape.length == 3 ? shape[1] : -1;
                if (steps < to) {
                    throw new ShapeException("loss on steps [" + from + ", " + to + "): prediction " + Shape.toString(shape)
                            + " has " + (steps < 0 ? "no time axis" : steps + " steps"));
                }
                int[] lengths = batch.lengths();
                int[] clipped = null;
                if (lengths != null) {
                    clipped = new int[lengths.length];
                    for (int i = 0; i < lengths.length; i++) {
                        clipped[i] = Math.max(0, Math.min(lengths[i], to) - from);
                    }
                }
                // Lengths become the number of valid steps inside the window (possibly 0: no loss there).
                // The window's inputs are only along for the shapes: sliced like the targets when they
                // have those steps (a sequence-to-sequence batch's inputs may not).
                Tensor inputs = batch.inputs().dim(1) >= to ? batch.inputs().slice(1, from, to) : batch.inputs();
                return new Batch(inputs, batch.targets() == null ? null : batch.targets().slice(1, from, to),
                        batch.labels(), clipped);
            }

            @Override
            public String name() {
                return inner.name() + "[" + from + ":" + to + "]";
            }
        };
    }

    /**
     * One weight per (instance, step) row: 1 for valid steps, 0 for padding; null when the batch
     * has no lengths.
     */
    static float[] stepWeights(Batch batch, int size, int steps) {
        int[] lengths = batch.lengths();
        if (lengths == null) {
            return null;
        }
        float[] w = new float[size * steps];
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < Math.min(steps, lengths[b]); t++) {
                w[b * steps + t] = 1f;
            }
        }
        return w;
    }

    /** Elements an element-wise loss averages over: all of them, or the valid steps' of a per-step prediction. */
    static double validElements(int[] shape, Batch batch) {
        if (shape.length != 3) {
            return (double) Shape.size(shape);
        }
        return validSteps(batch, shape[0], shape[1]) * shape[2];
    }

    /** The number of valid (instance, step) rows: {@code size · steps} without lengths. */
    static double validSteps(Batch batch, int size, int steps) {
        int[] lengths = batch.lengths();
        if (lengths == null) {
            return (double) size * steps;
        }
        double n = 0;
        for (int b = 0; b < size; b++) {
            n += Math.min(steps, lengths[b]);
        }
        return n;
    }
}
