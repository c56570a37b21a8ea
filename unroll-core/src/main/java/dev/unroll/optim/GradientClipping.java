package dev.unroll.optim;

/**
 * Gradient clipping (seed §17: the remedy for exploding gradients on long sequences), applied to
 * the flat gradient array before an update. Returns the global L2 norm before clipping.
 */
@FunctionalInterface
public interface GradientClipping {

    /** Clips {@code grads} in place and returns their L2 norm before clipping. */
    double apply(float[] grads);

    /** No clipping. */
    static GradientClipping none() {
        return GradientClipping::norm;
    }

    /** Each gradient clamped to {@code [−limit, limit]} (TensorFlow's {@code clip_by_value}). */
    static GradientClipping byValue(float limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("clip by value: limit must be positive, got " + limit);
        }
        return grads -> {
            double norm = norm(grads);
            for (int i = 0; i < grads.length; i++) {
                grads[i] = Math.max(-limit, Math.min(limit, grads[i]));
            }
            return norm;
        };
    }

    /**
     * All gradients scaled by {@code maxNorm / norm} when their global L2 norm exceeds
     * {@code maxNorm} (TensorFlow's {@code clip_by_global_norm}, PyTorch's {@code clip_grad_norm_}):
     * the direction is kept, only the length is capped.
     */
    static GradientClipping byGlobalNorm(float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip by global norm: max norm must be positive, got " + maxNorm);
        }
        return grads -> {
            double norm = norm(grads);
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (int i = 0; i < grads.length; i++) {
                    grads[i] *= scale;
                }
            }
            return norm;
        };
    }

    /** L2 norm, summed in double in index order. */
    static double norm(float[] grads) {
        double s = 0;
        for (float g : grads) {
            s += (double) g * g;
        }
        return Math.sqrt(s);
    }
}
