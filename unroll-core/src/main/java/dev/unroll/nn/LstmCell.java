package dev.unroll.nn;

import dev.unroll.autograd.MatMul;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * Long short-term memory cell (PyTorch's {@code LSTMCell}; gate order i, f, g, o):
 *
 * <pre>
 *   i = σ(x·W_iiᵀ + b_ii + h·W_hiᵀ + b_hi)      input gate
 *   f = σ(x·W_ifᵀ + b_if + h·W_hfᵀ + b_hf)      forget gate
 *   g = tanh(x·W_igᵀ + b_ig + h·W_hgᵀ + b_hg)   candidate
 *   o = σ(x·W_ioᵀ + b_io + h·W_hoᵀ + b_ho)      output gate
 *   c' = f ⊙ c + i ⊙ g          h' = o ⊙ tanh(c')          output = h', state = (h', c')
 *   W_ih = [W_ii; W_if; W_ig; W_io] : [4H, I]     W_hh : [4H, H]     b_ih, b_hh : [4H]
 * </pre>
 */
public final class LstmCell extends RecurrentCell {

    /** An LSTM with PyTorch's default initialization. */
    public LstmCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, CellInit.pytorch(), rng);
    }

    public LstmCell(int inputSize, int hiddenSize, CellInit init, Rng rng) {
        this(inputSize, hiddenSize, init, rng, "");
    }

    LstmCell(int inputSize, int hiddenSize, CellInit init, Rng rng, String suffix) {
        super(CellType.LSTM, inputSize, hiddenSize, init, rng, suffix);
    }

    @Override
    protected Step stepUnchecked(Variable x, State state) {
        int h = hiddenSize();
        Variable gates = MatMul.linear(x, weightIh().variable(), biasIh().variable())
                .add(MatMul.linear(state.h(), weightHh().variable(), biasHh().variable()));
        Variable i = gates.slice(1, 0, h).sigmoid();
        Variable f = gates.slice(1, h, 2 * h).sigmoid();
        Variable g = gates.slice(1, 2 * h, 3 * h).tanh();
        Variable o = gates.slice(1, 3 * h, 4 * h).sigmoid();
        Variable c = f.mul(state.c()).add(i.mul(g));
        Variable hNext = o.mul(c.tanh());
        return new Step(hNext, new State(hNext, c));
    }

    @Override
    FusedSequence fused(Tensor x, int[] lengths, State initial, float[] stateMask) {
        return new FusedLstm(this, x, lengths, initial == null ? null : initial.c(), stateMask);
    }
}
