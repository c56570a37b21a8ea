package dev.unroll.nn;

import dev.unroll.autograd.MatMul;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * Gated recurrent unit (PyTorch's {@code GRUCell}; gate order r, z, n; the reset gate multiplies
 * the recurrent product including its bias, as in PyTorch and cuDNN):
 *
 * <pre>
 *   r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr)            reset gate
 *   z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz)            update gate
 *   n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn))   candidate
 *   h' = (1 − z) ⊙ n + z ⊙ h                            output = h'
 *   W_ih = [W_ir; W_iz; W_in] : [3H, I]     W_hh : [3H, H]     b_ih, b_hh : [3H]
 * </pre>
 */
public final class GruCell extends RecurrentCell {

    /** A GRU with PyTorch's default initialization. */
    public GruCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, CellInit.pytorch(), rng);
    }

    public GruCell(int inputSize, int hiddenSize, CellInit init, Rng rng) {
        this(inputSize, hiddenSize, init, rng, "");
    }

    GruCell(int inputSize, int hiddenSize, CellInit init, Rng rng, String suffix) {
        super(CellType.GRU, inputSize, hiddenSize, init, rng, suffix);
    }

    @Override
    protected Step stepUnchecked(Variable x, State state) {
        int h = hiddenSize();
        Variable xp = MatMul.linear(x, weightIh().variable(), biasIh().variable());
        Variable hp = MatMul.linear(state.h(), weightHh().variable(), biasHh().variable());
        Variable r = xp.slice(1, 0, h).add(hp.slice(1, 0, h)).sigmoid();
        Variable z = xp.slice(1, h, 2 * h).add(hp.slice(1, h, 2 * h)).sigmoid();
        Variable n = xp.slice(1, 2 * h, 3 * h).add(r.mul(hp.slice(1, 2 * h, 3 * h))).tanh();
        Variable hNext = n.add(z.mul(state.h().sub(n)));
        return new Step(hNext, State.of(hNext));
    }

    @Override
    FusedSequence fused(Tensor x, int[] lengths, State initial, float[] stateMask) {
        return new FusedGru(this, x, lengths, stateMask);
    }
}
