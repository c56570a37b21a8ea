package dev.unroll.train;

import dev.unroll.autograd.Variable;
import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * The gradient-only half of a training step: forward, loss and backward over one batch, no update.
 * It leaves in the model's gradient buffer ({@code model.flatParameters().grads()}) the gradient of
 * the loss <em>summed</em> over its terms, not of its mean, and returns the {@link BatchSums}. Sums
 * of chunks of a batch add up to the sums of the whole batch, which is what lets a distributed
 * trainer compute a global batch piece by piece and still divide once by the global count
 * ({@link Trainer#applyGradients}).
 *
 * <p>The summed gradient is the mean loss back-propagated from its count instead of 1: the built-in
 * losses divide that seed by the same count, so their backward rules start from exactly 1 (or 2 for
 * the squared error) per term.
 */
public final class GradientStep {
    private final Layer model;
    private final Loss loss;
    private final List<Metric> metrics;

    public GradientStep(Layer model, Loss loss, List<Metric> metrics) {
        this.model = model;
        this.loss = loss;
        this.metrics = List.copyOf(metrics);
    }

    public Layer model() {
        return model;
    }

    /**
     * Zeroes the model's gradients, then fills them with the gradient of {@code batch}'s summed
     * loss. A batch without loss terms (e.g. a chunk whose sequences all end before a loss window)
     * contributes zero loss and zero gradient. A non-finite loss is returned as it is, without a
     * backward pass: the caller decides what to report.
     */
    public BatchSums run(Batch batch, Context context) {
        model.zeroGrad();
        Variable prediction = model.forward(Variable.constant(batch.inputs()), context);
        double count = loss.count(prediction.shape(), batch);
        double lossSum = 0;
        if (count > 0) {
            Variable l = loss.compute(prediction, batch);
            lossSum = (double) l.value().get() * count;
            if (Double.isFinite(lossSum)) {
                l.backward(Tensor.scalar((float) count));
            }
        }
        double[][] sums = new double[metrics.size()][];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = metrics.get(i).measure(prediction.value(), batch);
        }
        return new BatchSums(lossSum, count, batch.size(), sums);
    }
}
