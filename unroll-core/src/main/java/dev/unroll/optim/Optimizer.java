package dev.unroll.optim;

import dev.unroll.nn.FlatParameters;
import dev.unroll.nn.Module;
import dev.unroll.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates a model's parameters from their gradients, one {@link #step()} per batch. Works on the
 * model's {@link FlatParameters}: every update is one loop over the flat arrays, in index order, so
 * it is deterministic. Optional pieces: a {@link LearningRateSchedule} and a
 * {@link GradientClipping} applied to the gradients before each update (seed §17).
 *
 * <p>Subclasses follow PyTorch's update rules exactly (same hyper-parameter names and defaults
 * where they exist), so hyper-parameters carry over.
 */
public abstract class Optimizer {
    protected final FlatParameters params;
    private final double baseLearningRate;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private GradientClipping clipping = GradientClipping.none();
    private long steps;
    private double lastGradientNorm = Double.NaN;

    protected Optimizer(Module model, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.params = model.flatParameters();
        this.baseLearningRate = learningRate;
    }

    /** Short name for reports, e.g. {@code adam}. */
    public abstract String name();

    /** Uses a learning-rate schedule (default: constant). */
    public Optimizer schedule(LearningRateSchedule s) {
        schedule = s;
        return this;
    }

    /** Clips gradients before every update (default: no clipping). */
    public Optimizer clipping(GradientClipping c) {
        clipping = c;
        return this;
    }

    public GradientClipping clipping() {
        return clipping;
    }

    /** The learning rate the next step will use. */
    public double learningRate() {
        return schedule.rate(steps, baseLearningRate);
    }

    /** Updates done so far. */
    public long steps() {
        return steps;
    }

    /** Global L2 norm of the gradients before clipping, as of the last step. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** Clips the gradients, then updates every parameter. */
    public final void step() {
        lastGradientNorm = clipping.apply(params.grads());
        update(params.values(), params.grads(), learningRate(), steps + 1);
        steps++;
    }

    /** Sets all gradients to zero. */
    public final void zeroGrad() {
        java.util.Arrays.fill(params.grads(), 0f);
    }

    /**
     * Applies one update.
     *
     * @param step 1 for the first update (for bias corrections)
     */
    protected abstract void update(float[] values, float[] grads, double lr, long step);

    /** The optimizer's per-parameter buffers (e.g. Adam's moments) by name, for checkpoints. */
    protected abstract Map<String, float[]> buffers();

    /** Buffers and progress, to save for resuming. */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : buffers().entrySet()) {
            s.put(e.getKey(), Tensor.of(e.getValue(), e.getValue().length));
        }
        return s;
    }

    /** Restores what {@link #state()} returned, and the step count. */
    public final void loadState(Map<String, Tensor> state, long stepCount) {
        for (Map.Entry<String, float[]> e : buffers().entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(name() + " state: missing buffer '" + e.getKey() + "'");
            }
            if (t.size() != e.getValue().length) {
                throw new IllegalArgumentException(name() + " state: buffer '" + e.getKey() + "' has " + t.size()
                        + " values, the model has " + e.getValue().length + " parameters");
            }
            System.arraycopy(t.data(), t.offset(), e.getValue(), 0, t.size());
        }
        steps = stepCount;
    }
}
