package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Fused sequence kernel of the LSTM cell (PyTorch's equations and gate order i, f, g, o):
 *
 * <pre>
 *   [i f g o] = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh      then i, f, o = σ(·), g = tanh(·)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * backward, with dh' = dY + (gradient from the next step) and dc' likewise:
 *   do = dh' ⊙ tanh(c')               dc' += dh' ⊙ o ⊙ (1 − tanh²(c'))
 *   di = dc' ⊙ g    dg = dc' ⊙ i     df = dc' ⊙ c      dc = dc' ⊙ f
 *   pre-activation gradients: di·i(1−i), df·f(1−f), dg·(1−g²), do·o(1−o)
 * </pre>
 *
 * Kept for backward: the activated gates, {@code c(0..T)} and {@code tanh c(1..T)}.
 */
final class FusedLstm extends FusedSequence {
    /** {@code [T+1, B, H]}: memory cells, c(0) first. */
    private float[] cs;
    /** {@code [T, B, H]}: tanh(c(t+1)). */
    private float[] tanhCs;
    private final Variable c0;
    private float[] dc;

    FusedLstm(RecurrentCell cell, Tensor input, int[] lengths, Variable c0, float[] stateMask) {
        super(cell, input, lengths, stateMask);
        this.c0 = c0;
    }

    @Override
    protected void allocateTraining(Variable h0) {
        super.allocateTraining(h0);
        cs = pool.take((steps + 1) * batch * hidden);
        initialRows(cs, c0);
        tanhCs = pool.take(steps * batch * hidden);
    }

    @Override
    protected void releaseTraining() {
        super.releaseTraining();
        pool.give(cs, tanhCs);
        cs = null;
        tanhCs = null;
    }

    @Override
    protected Variable initialCell() {
        return c0;
    }

    @Override
    protected Tensor projectionBias() {
        return CellStep.sumOfBiases(cell);
    }

    @Override
    protected List<Tensor> extraFinalStates() {
        return List.of(Tensor.wrap(cs, steps * batch * hidden, batch, hidden).copy());
    }

    @Override
    protected List<Variable> extraInitialStates() {
        List<Variable> extra = new ArrayList<>();
        extra.add(c0);
        return extra;
    }

    @Override
    protected void setExtraFinalStateGradients(List<Tensor> grads) {
        dc = grads.get(0).toArray();
    }

    @Override
    protected void accumulateExtraInitialStateGradients() {
        if (c0 != null && c0.requiresGrad()) {
            Tensor g = c0.gradForAccumulation();
            k.axpy(batch * hidden, 1f, dc, 0, g.data(), g.offset());
        }
    }

    @Override
    protected float[][] carriedStates() {
        return new float[][] {hs, cs};
    }

    @Override
    protected void forwardStep(int t, Block block) {
        int h = hidden;
        stepProjection(t, block, gates, at(t, block.r0, gateWidth));
        for (int a0 = nextActive(t, block.r0, block.r1), a1; a0 < block.r1; a0 = nextActive(t, a1, block.r1)) {
            a1 = runEnd(t, a0, block.r1);
            k.lstmForward(a1 - a0, h, gates, at(t, a0, gateWidth), cs, at(t, a0, h), cs, at(t + 1, a0, h),
                    tanhCs, at(t, a0, h), hs, at(t + 1, a0, h));
        }
    }

    /** The block's dc rows, starting from the gradient of the final c. */
    @Override
    protected void beginBlock(Block block, boolean forward) {
        if (!forward) {
            block.cell = new float[block.m * hidden];
            System.arraycopy(dc, block.r0 * hidden, block.cell, 0, block.m * hidden);
        }
    }

    @Override
    protected void backwardStep(int t, Block block) {
        int h = hidden;
        for (int a0 = nextActive(t, block.r0, block.r1), a1; a0 < block.r1; a0 = nextActive(t, a1, block.r1)) {
            a1 = runEnd(t, a0, block.r1);
            k.lstmBackward(a1 - a0, h, gates, at(t, a0, gateWidth), cs, at(t, a0, h), tanhCs, at(t, a0, h),
                    block.dhNext, (a0 - block.r0) * h, block.cell, (a0 - block.r0) * h, dGates, at(t, a0, gradientWidth));
        }
    }

    @Override
    protected void endBackwardBlock(Block block) {
        System.arraycopy(block.cell, 0, dc, block.r0 * hidden, block.m * hidden);
    }
}
