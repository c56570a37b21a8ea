package dev.unroll.nn;

/**
 * How a recurrent cell's parameters are initialized: the input weights {@code weight_ih}, the
 * recurrent weights {@code weight_hh} (applied to each gate's {@code [H, H]} block separately) and
 * both biases.
 *
 * @param input     initializer of {@code weight_ih [G·H, I]}
 * @param recurrent initializer of each gate block of {@code weight_hh [G·H, H]}
 * @param bias      initializer of {@code bias_ih} and {@code bias_hh [G·H]}
 */
public record CellInit(Init input, Init recurrent, Init bias) {

    /** PyTorch's default: every parameter from U(−1/√H, 1/√H). */
    public static CellInit pytorch(int hiddenSize) {
        Init u = Init.pytorchRecurrent(hiddenSize);
        return new CellInit(u, u, u);
    }

    /** Keras's default: Glorot-uniform input weights, orthogonal recurrent weights, zero biases. */
    public static CellInit glorotOrthogonal() {
        return new CellInit(Init.glorotUniform(), Init.orthogonal(1f), Init.zeros());
    }

    /**
     * IRNN (Le et al. 2015), for ReLU cells on long sequences: recurrent weights start as the
     * identity, input weights small Gaussian (He), biases zero.
     */
    public static CellInit identityRecurrent() {
        return new CellInit(Init.heNormal(), Init.identity(1f), Init.zeros());
    }
}
