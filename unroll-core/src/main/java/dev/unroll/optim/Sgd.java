package dev.unroll.optim;

import dev.unroll.nn.Module;
import java.util.Map;

/**
 * Stochastic gradient descent, optionally with momentum (classical or Nesterov) and L2 weight
 * decay — PyTorch's {@code torch.optim.SGD} rule:
 *
 * <pre>
 *   g = grad + weightDecay·p
 *   v = momentum·v + g                      (v = g on the first step)
 *   p -= lr · (nesterov ? g + momentum·v : v)     (p -= lr·g without momentum)
 * </pre>
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final float[] velocity;

    /** Plain SGD. */
    public Sgd(Module model, double lr) {
        this(model, lr, 0, false, 0);
    }

    public Sgd(Module model, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(model, lr);
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("sgd: weight decay must be >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = momentum > 0 ? new float[params.size()] : new float[0];
    }

    @Override
    public String name() {
        return momentum == 0 ? "sgd" : nesterov ? "sgd-nesterov" : "sgd-momentum";
    }

    @Override
    protected void update(float[] p, float[] grads, double lr, long step) {
        float rate = (float) lr;
        float mu = (float) momentum;
        float wd = (float) weightDecay;
        for (int i = 0; i < p.length; i++) {
            float g = grads[i] + wd * p[i];
            if (mu > 0) {
                velocity[i] = step == 1 ? g : mu * velocity[i] + g;
                g = nesterov ? g + mu * velocity[i] : velocity[i];
            }
            p[i] -= rate * g;
        }
    }

    @Override
    protected Map<String, float[]> buffers() {
        return momentum > 0 ? Map.of("momentum_buffer", velocity) : Map.of();
    }
}
