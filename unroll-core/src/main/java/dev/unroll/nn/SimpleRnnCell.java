package dev.unroll.nn;

import dev.unroll.autograd.Activations;
import dev.unroll.autograd.MatMul;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * The simple recurrent cell (the seed's {@code BasicRNNCell}, PyTorch's {@code RNNCell}):
 *
 * <pre>
 *   h' = φ(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)        output = h'
 *   x [B, I]   h [B, H]   W_ih [H, I]   W_hh [H, H]   b_ih, b_hh [H]
 * </pre>
 *
 * φ is tanh by default; ReLU (seed §12, §17) or any other {@link Activation} may be chosen.
 * (The seed's notation {@code y(t) = φ(x(t)·Wx + y(t−1)·Wy + b)} has {@code Wx = W_ihᵀ},
 * {@code Wy = W_hhᵀ} and {@code b = b_ih + b_hh}.)
 */
public final class SimpleRnnCell extends RecurrentCell {
    private final Activation activation;

    /** A tanh cell with PyTorch's default initialization. */
    public SimpleRnnCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, Activation.TANH, CellInit.pytorch(), rng);
    }

    public SimpleRnnCell(int inputSize, int hiddenSize, Activation activation, CellInit init, Rng rng) {
        this(inputSize, hiddenSize, activation, init, rng, "");
    }

    SimpleRnnCell(int inputSize, int hiddenSize, Activation activation, CellInit init, Rng rng, String suffix) {
        super(CellType.RNN, inputSize, hiddenSize, init, rng, suffix);
        this.activation = activation;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    protected Step stepUnchecked(Variable x, State state) {
        Variable pre = MatMul.linear(x, weightIh().variable(), biasIh().variable())
                .add(MatMul.linear(state.h(), weightHh().variable(), biasHh().variable()));
        Variable h = Activations.apply(activation, pre);
        return new Step(h, State.of(h));
    }

    @Override
    FusedSequence fused(Tensor x, int[] lengths, State initial, float[] stateMask) {
        return new FusedRnn(this, activation, x, lengths, stateMask);
    }

    @Override
    public String toString() {
        return "rnn-" + activation.id() + "(" + inputSize() + " -> " + hiddenSize() + ")";
    }
}
