package dev.unroll.optim;

import dev.unroll.nn.Module;
import java.util.Map;

/**
 * RMSProp, PyTorch's {@code torch.optim.RMSprop} rule (no momentum, not centered):
 *
 * <pre>
 *   s = alpha·s + (1 − alpha)·g²
 *   p -= lr · g / (√s + eps)
 * </pre>
 * PyTorch's default decay {@code alpha} is 0.99; TensorFlow's {@code decay} is 0.9.
 */
public final class RmsProp extends Optimizer {
    private final double alpha;
    private final double eps;
    private final float[] squares;

    /** alpha 0.99, eps 1e-8 (PyTorch's defaults). */
    public RmsProp(Module model, double lr) {
        this(model, lr, 0.99, 1e-8);
    }

    public RmsProp(Module model, double lr, double alpha, double eps) {
        super(model, lr);
        if (alpha < 0 || alpha >= 1) {
            throw new IllegalArgumentException("rmsprop: alpha must be in [0, 1), got " + alpha);
        }
        this.alpha = alpha;
        this.eps = eps;
        this.squares = new float[params.size()];
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    protected void update(float[] p, float[] grads, double lr, long step) {
        float a = (float) alpha;
        for (int i = 0; i < p.length; i++) {
            float g = grads[i];
            squares[i] = a * squares[i] + (1 - a) * g * g;
            p[i] -= (float) (lr * g / (Math.sqrt(squares[i]) + eps));
        }
    }

    @Override
    protected Map<String, float[]> buffers() {
        return Map.of("square_avg", squares);
    }
}
