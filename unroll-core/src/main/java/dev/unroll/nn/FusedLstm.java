package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
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
    private final float[] cs;
    /** {@code [T, B, H]}: tanh(c(t+1)). */
    private final float[] tanhCs;
    private final Variable c0;
    private float[] dc;

    FusedLstm(RecurrentCell cell, Tensor input, int[] lengths, Variable c0, float[] stateMask) {
        super(cell, input, lengths, stateMask);
        this.c0 = c0;
        this.cs = new float[(steps + 1) * batch * hidden];
        this.tanhCs = new float[steps * batch * hidden];
        if (c0 != null) {
            System.arraycopy(c0.value().data(), c0.value().offset(), cs, 0, batch * hidden);
        }
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
            addRecurrentProjection(t, r0, r1, gates, at(t, r0, gateWidth));
            for (int b = r0; b < r1; b++) {
                if (finished(b, t)) {
                    carryState(hs, t, b);
                    carryState(cs, t, b);
                    continue;
                }
                stepRow(k, h, gates, at(t, b, gateWidth), cs, at(t, b, h), cs, at(t + 1, b, h), tanhCs, at(t, b, h),
                        hs, at(t + 1, b, h));
            }
            dropState(t, r0, r1);
        }
    }

    /**
     * One instance's step from its pre-activations {@code gates[gi .. gi + 4H)} (turned into
     * activated gates in place): writes {@code c'}, {@code tanh c'} and {@code h'}. Shared with
     * streaming inference.
     */
    static void stepRow(KernelProvider k, int h, float[] gates, int gi, float[] cPrev, int cPrevOff, float[] cNext, int cNextOff,
                        float[] tanhC, int tanhCOff, float[] hNext, int hNextOff) {
        int gf = gi + h;
        int gg = gi + 2 * h;
        int go = gi + 3 * h;
        k.activate(Activation.SIGMOID, gates, gi, gates, gi, 2 * h);
        k.activate(Activation.TANH, gates, gg, gates, gg, h);
        k.activate(Activation.SIGMOID, gates, go, gates, go, h);
        k.mul(h, gates, gf, cPrev, cPrevOff, cNext, cNextOff, false);
        k.mul(h, gates, gi, gates, gg, cNext, cNextOff, true);
        k.activate(Activation.TANH, cNext, cNextOff, tanhC, tanhCOff, h);
        k.mul(h, gates, go, tanhC, tanhCOff, hNext, hNextOff, false);
    }

    @Override
    protected void backwardRows(int r0, int r1) {
        int h = hidden;
        int m = r1 - r0;
        float[] dhNext = new float[m * h];
        float[] dhPrev = new float[m * h];
        float[] dcRows = new float[m * h];
        float[] scratch = new float[h];
        System.arraycopy(dh, r0 * h, dhNext, 0, m * h);
        System.arraycopy(dc, r0 * h, dcRows, 0, m * h);
        for (int t = steps - 1; t >= 0; t--) {
            gradientOfOutput(t, r0, r1, dhNext);
            for (int b = r0; b < r1; b++) {
                int row = (b - r0) * h;
                int gi = at(t, b, gateWidth);
                if (finished(b, t)) {
                    java.util.Arrays.fill(dInputGates, gi, gi + gateWidth, 0f);
                    continue;
                }
                int gf = gi + h;
                int gg = gi + 2 * h;
                int go = gi + 3 * h;
                int tc = at(t, b, h);
                // do = dh ⊙ tanh(c'), through σ'.
                k.mul(h, dhNext, row, tanhCs, tc, dInputGates, go, false);
                k.activateBackward(Activation.SIGMOID, gates, go, dInputGates, go, dInputGates, go, h, false);
                // dc' += dh ⊙ o ⊙ tanh'(c').
                k.mul(h, dhNext, row, gates, go, scratch, 0, false);
                k.activateBackward(Activation.TANH, tanhCs, tc, scratch, 0, dcRows, row, h, true);
                // di = dc' ⊙ g, dg = dc' ⊙ i, df = dc' ⊙ c, each through its activation.
                k.mul(h, dcRows, row, gates, gg, dInputGates, gi, false);
                k.mul(h, dcRows, row, gates, gi, dInputGates, gg, false);
                k.mul(h, dcRows, row, cs, at(t, b, h), dInputGates, gf, false);
                k.activateBackward(Activation.SIGMOID, gates, gi, dInputGates, gi, dInputGates, gi, 2 * h, false);
                k.activateBackward(Activation.TANH, gates, gg, dInputGates, gg, dInputGates, gg, h, false);
                // dc = dc' ⊙ f.
                k.mul(h, dcRows, row, gates, gf, dcRows, row, false);
            }
            backRecurrentProjection(t, r0, r1, dInputGates, dhPrev);
            if (lengths != null) {
                for (int b = r0; b < r1; b++) {
                    if (finished(b, t)) {
                        System.arraycopy(dhNext, (b - r0) * h, dhPrev, (b - r0) * h, h);
                    }
                }
            }
            float[] swap = dhNext;
            dhNext = dhPrev;
            dhPrev = swap;
        }
        System.arraycopy(dhNext, 0, dh, r0 * h, m * h);
        System.arraycopy(dcRows, 0, dc, r0 * h, m * h);
    }
}
