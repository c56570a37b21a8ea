package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * Inverted dropout (seed §16): in training, each element is kept with probability
 * {@code 1 − rate} and scaled by {@code 1 / (1 − rate)}, or zeroed; in inference it is the
 * identity, so no rescaling is needed then. The mask comes from the caller's seeded {@link Rng}.
 * (TensorFlow's {@code keep_prob} is {@code 1 − rate}.)
 */
public final class Dropout {
    private Dropout() {
    }

    /** Checks a dropout rate: in [0, 1). */
    public static float checkRate(String what, float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(what + ": dropout rate must be in [0, 1), got " + rate
                    + " (keep probability " + (1f - rate) + ")");
        }
        return rate;
    }

    /** {@code x ⊙ mask / (1 − rate)} in training with {@code rate > 0}; otherwise {@code x} itself. */
    public static Variable apply(Variable x, float rate, boolean training, Rng rng) {
        checkRate("dropout", rate);
        if (!training || rate == 0f) {
            return x;
        }
        float scale = 1f / (1f - rate);
        Tensor mask = Tensor.zeros(x.shape());
        float[] m = mask.data();
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextFloat() >= rate ? scale : 0f;
        }
        Tensor xv = x.value();
        Tensor y = Tensor.zeros(x.shape());
        dev.unroll.kernel.Kernels.provider().mul(m.length, xv.data(), xv.offset(), m, 0, y.data(), 0, false);
        return Autograd.record("dropout", y, dy -> {
            Tensor dx = x.gradForAccumulation();
            dev.unroll.kernel.Kernels.provider().mul(m.length, dy.data(), dy.offset(), m, 0, dx.data(), dx.offset(), true);
        }, x);
    }
}
