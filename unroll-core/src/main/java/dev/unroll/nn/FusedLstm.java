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
    protected void inferenceStep(int m, StepRows rows) {
        k.lstmForward(m, hidden, rows.gates, 0, rows.c, 0, rows.cNext, 0, rows.tanhC, 0, rows.hOut, 0);
        rows.storeHidden(m, hidden, rows.hOut);
    }

    @Override
    protected Tensor projectionBias() {
        return FusedRnn.sumOfBiases(cell);
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
    protected void forwardRows(int r0, int r1) {
        int h = hidden;
        for (int t = 0; t < steps; t++) {
            recurrentProjection(t, r0, r1, gates, at(t, r0, gateWidth), true);
            int step = t;
            activeRuns(t, r0, r1, (a0, a1) -> k.lstmForward(a1 - a0, h, gates, at(step, a0, gateWidth), cs, at(step, a0, h),
                    cs, at(step + 1, a0, h), tanhCs, at(step, a0, h), hs, at(step + 1, a0, h)));
            carryEnded(t, r0, r1, hs, cs);
            dropState(t, r0, r1);
        }
    }

    @Override
    protected void backwardRows(int r0, int r1) {
        int h = hidden;
        int m = r1 - r0;
        float[] dhNext = new float[m * h];
        float[] dhPrev = new float[m * h];
        float[] dcRows = new float[m * h];
        System.arraycopy(dh, r0 * h, dhNext, 0, m * h);
        System.arraycopy(dc, r0 * h, dcRows, 0, m * h);
        for (int t = steps - 1; t >= 0; t--) {
            gradientOfOutput(t, r0, r1, dhNext);
            int step = t;
            float[] incoming = dhNext;
            activeRuns(t, r0, r1, (a0, a1) -> k.lstmBackward(a1 - a0, h, gates, at(step, a0, gateWidth), cs, at(step, a0, h),
                    tanhCs, at(step, a0, h), incoming, (a0 - r0) * h, dcRows, (a0 - r0) * h, dInputGates, at(step, a0, gateWidth)));
            zeroEndedGradients(t, r0, r1, dInputGates);
            backRecurrentProjection(t, r0, r1, dInputGates, dhPrev);
            passThroughEnded(t, r0, r1, dhNext, dhPrev);
            float[] swap = dhNext;
            dhNext = dhPrev;
            dhPrev = swap;
        }
        System.arraycopy(dhNext, 0, dh, r0 * h, m * h);
        System.arraycopy(dcRows, 0, dc, r0 * h, m * h);
    }
}
