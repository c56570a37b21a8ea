package dev.unroll.nn;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * How a recurrent cell's parameters start: fills {@code weight_ih [G·H, I]},
 * {@code weight_hh [G·H, H]}, {@code bias_ih} and {@code bias_hh [G·H]} (drawing in that order from
 * the given {@link Rng}). The sizes come from the tensors, so one scheme serves every layer of a
 * stack.
 */
@FunctionalInterface
public interface CellInit {

    void initialize(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, int gates, Rng rng);

    /**
     * Separate initializers: {@code input} for {@code weight_ih}, {@code recurrent} for each gate's
     * {@code [H, H]} block of {@code weight_hh}, {@code bias} for both biases.
     */
    static CellInit of(Init input, Init recurrent, Init bias) {
        return (wih, whh, bih, bhh, gates, rng) -> {
            input.fill(wih, rng);
            recurrent.perGate(gates).fill(whh, rng);
            bias.fill(bih, rng);
            bias.fill(bhh, rng);
        };
    }

    /** PyTorch's default: every parameter from U(−1/√H, 1/√H). */
    static CellInit pytorch() {
        return (wih, whh, bih, bhh, gates, rng) -> {
            Init u = Init.pytorchRecurrent(whh.dim(1));
            for (Tensor t : new Tensor[] {wih, whh, bih, bhh}) {
                u.fill(t, rng);
            }
        };
    }

    /**
     * TensorFlow 1.x's default (the seed's {@code BasicRNNCell}, {@code BasicLSTMCell}): one
     * Glorot-uniform kernel over the concatenated input and state, {@code [I + H, G·H]}, i.e. both
     * weight matrices from U(±√(6 / (I + H + G·H))), and zero biases.
     */
    static CellInit tensorflow() {
        return (wih, whh, bih, bhh, gates, rng) -> {
            int hidden = whh.dim(1);
            float bound = (float) Math.sqrt(6.0 / (wih.dim(1) + hidden + gates * hidden));
            Init.uniform(-bound, bound).fill(wih, rng);
            Init.uniform(-bound, bound).fill(whh, rng);
            bih.fill(0f);
            bhh.fill(0f);
        };
    }

    /** Keras's default: Glorot-uniform input weights, orthogonal recurrent weights, zero biases. */
    static CellInit glorotOrthogonal() {
        return of(Init.glorotUniform(), Init.orthogonal(1f), Init.zeros());
    }

    /**
     * IRNN (Le et al. 2015), for ReLU cells on long sequences: recurrent weights start as the
     * identity, input weights small Gaussian (He), biases zero.
     */
    static CellInit identityRecurrent() {
        return of(Init.heNormal(), Init.identity(1f), Init.zeros());
    }
}
