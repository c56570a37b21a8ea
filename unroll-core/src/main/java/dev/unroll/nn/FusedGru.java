package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Tensor;

/**
 * Fused sequence kernel of the GRU cell (PyTorch's equations, gate order r, z, n, with the reset
 * gate applied to the recurrent term after its product, {@code r ⊙ (W_hn·h + b_hn)}):
 *
 * <pre>
 *   xp = x·W_ihᵀ + b_ih        hp = h·W_hhᵀ + b_hh        (each [r z n])
 *   r = σ(xp_r + hp_r)     z = σ(xp_z + hp_z)     n = tanh(xp_n + r ⊙ hp_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h  =  n + z ⊙ (h − n)
 * backward, with dh' = dY + (gradient from the next step):
 *   dn = dh' ⊙ (1 − z) ⊙ (1 − n²)      dz = dh' ⊙ (h − n) ⊙ z(1 − z)
 *   dr = dn ⊙ hp_n ⊙ r(1 − r)           dh = dh' ⊙ z + [dr, dz, dn ⊙ r]·W_hh
 *   input side gets [dr, dz, dn]; hidden side gets [dr, dz, dn ⊙ r]
 * </pre>
 *
 * Because the reset gate sits between the hidden product and the sum, the input-side and
 * hidden-side gradients differ in their n part (a gradient row is {@code [dn | dr, dz, dn ⊙ r]})
 * and {@code hp_n} is kept for backward.
 */
final class FusedGru extends FusedSequence {
    /** {@code [T, B, H]}: hp_n = (h·W_hhᵀ + b_hh) restricted to the n gate. */
    private float[] hiddenN;

    FusedGru(RecurrentCell cell, Tensor input, int[] lengths, float[] stateMask) {
        super(cell, input, lengths, stateMask);
    }

    @Override
    protected void allocateTraining(Variable h0) {
        super.allocateTraining(h0);
        hiddenN = pool.take(steps * batch * hidden);
    }

    @Override
    protected void releaseTraining() {
        super.releaseTraining();
        pool.give(hiddenN);
        hiddenN = null;
    }

    @Override
    protected boolean hiddenProjectionApart() {
        return true;
    }

    /**
     * {@code b_ih + [b_hr, b_hz, 0]}: the r and z parts of b_hh add to the input side's like b_ih,
     * so they join the projection; only b_hn sits inside the reset gate's product and is added
     * per step.
     */
    @Override
    protected Tensor projectionBias() {
        Tensor bias = cell.biasIh().value().copy();
        Tensor bhh = cell.biasHh().value();
        k.axpy(2 * hidden, 1f, bhh.data(), bhh.offset(), bias.data(), bias.offset());
        return bias;
    }

    /** The r and z parts of b_hh get the same gradient as b_ih's (dHidden = [dr, dz, dn ⊙ r]). */
    @Override
    protected int sharedBiasGradients() {
        return 2 * hidden;
    }

    /**
     * The input and hidden sides differ only in the n gate ({@code dn} against {@code dn ⊙ r}): a
     * gradient row is {@code [dn | dr, dz, dn ⊙ r]}, one column block more than the gates.
     */
    @Override
    protected int hiddenGradientColumn() {
        return hidden;
    }

    /** The block's hidden projection (forward) or direct-path gradient (backward). */
    @Override
    protected void beginBlock(Block block, boolean forward) {
        block.cell = new float[block.m * (forward ? gateWidth : hidden)];
    }

    @Override
    protected void forwardStep(int t, Block block) {
        int h = hidden;
        Tensor bhh = cell.biasHh().value();
        float[] hp = block.cell;
        stepProjection(t, block, hp, 0);
        for (int a0 = nextActive(t, block.r0, block.r1), a1; a0 < block.r1; a0 = nextActive(t, a1, block.r1)) {
            a1 = runEnd(t, a0, block.r1);
            k.gruForward(a1 - a0, h, gates, at(t, a0, gateWidth), hp, (a0 - block.r0) * gateWidth, bhh.data(), bhh.offset() + 2 * h,
                    hiddenN, at(t, a0, h),
                    hs, at(t, a0, h), hs, at(t + 1, a0, h));
        }
    }

    @Override
    protected void backwardStep(int t, Block block) {
        int h = hidden;
        for (int a0 = nextActive(t, block.r0, block.r1), a1; a0 < block.r1; a0 = nextActive(t, a1, block.r1)) {
            a1 = runEnd(t, a0, block.r1);
            k.gruBackward(a1 - a0, h, gates, at(t, a0, gateWidth), hiddenN, at(t, a0, h), hs, at(t, a0, h),
                    block.dhNext, (a0 - block.r0) * h, dGates, at(t, a0, gradientWidth),
                    block.cell, (a0 - block.r0) * h);
        }
    }

    /** The update gate's direct path h' = … + z ⊙ h (ended rows are passed through afterwards). */
    @Override
    protected void addDirectGradient(int t, Block block) {
        int h = hidden;
        for (int a0 = nextActive(t, block.r0, block.r1), a1; a0 < block.r1; a0 = nextActive(t, a1, block.r1)) {
            a1 = runEnd(t, a0, block.r1);
            int row = (a0 - block.r0) * h;
            k.add((a1 - a0) * h, block.dhPrev, row, block.cell, row, block.dhPrev, row);
        }
    }
}
