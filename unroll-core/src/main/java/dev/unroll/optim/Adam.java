package dev.unroll.optim;

import dev.unroll.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba), and AdamW with decoupled weight decay (Loshchilov &amp; Hutter) — PyTorch's
 * {@code torch.optim.Adam} / {@code AdamW} rules:
 *
 * <pre>
 *   AdamW only:  p -= lr·weightDecay·p
 *   Adam only:   g = grad + weightDecay·p          (L2, if weightDecay &gt; 0)
 *   m = β1·m + (1 − β1)·g          v = β2·v + (1 − β2)·g²
 *   p -= lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + eps)
 * </pre>
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final float[] m;
    private final float[] v;

    /** Adam with β1 0.9, β2 0.999, eps 1e-8 (the seed's {@code AdamOptimizer} and PyTorch's defaults). */
    public Adam(Module model, double lr) {
        this(model, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with the usual defaults and the given decoupled weight decay (PyTorch's default is 0.01). */
    public static Adam adamW(Module model, double lr, double weightDecay) {
        return new Adam(model, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    public Adam(Module model, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(model, lr);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("adam: weight decay must be >= 0, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[params.size()];
        this.v = new float[params.size()];
    }

    @Override
    public String name() {
        return decoupled ? "adamw" : "adam";
    }

    @Override
    protected void update(float[] p, float[] grads, double lr, long step) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / correction1);
        float rootCorrection2 = (float) Math.sqrt(correction2);
        float e = (float) eps;
        float decay = (float) (lr * weightDecay);
        float l2 = decoupled ? 0f : (float) weightDecay;
        for (int i = 0; i < p.length; i++) {
            if (decoupled) {
                p[i] -= decay * p[i];
            }
            float g = grads[i] + l2 * p[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / rootCorrection2 + e);
        }
    }

    @Override
    protected Map<String, float[]> buffers() {
        Map<String, float[]> b = new LinkedHashMap<>();
        b.put("exp_avg", m);
        b.put("exp_avg_sq", v);
        return b;
    }
}
