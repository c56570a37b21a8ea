package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Tensor;

/**
 * Fused sequence kernel of the simple RNN cell:
 *
 * <pre>
 *   forward   h(t+1) = φ(x(t)·W_ihᵀ + b_ih + h(t)·W_hhᵀ + b_hh)
 *   backward  g(t)   = dY(t) + dh(t+1)               (gradient reaching h(t+1))
 *             dP(t)  = g(t) ⊙ φ'(h(t+1))             (φ' from the output, see Activation)
 *             dh(t)  = dP(t)·W_hh
 * </pre>
 */
final class FusedRnn extends FusedSequence {
    private final Activation activation;

    FusedRnn(RecurrentCell cell, Activation activation, Tensor input, int[] lengths, float[] stateMask) {
        super(cell, input, lengths, stateMask);
        this.activation = activation;
    }

    @Override
    protected Tensor projectionBias() {
        return sumOfBiases(cell);
    }

    /** {@code b_ih + b_hh}: both biases are added to every pre-activation, so they are added once. */
    static Tensor sumOfBiases(RecurrentCell cell) {
        Tensor sum = cell.biasIh().value().copy();
        Tensor bhh = cell.biasHh().value();
        dev.unroll.kernel.Kernels.provider().axpy(sum.size(), 1f, bhh.data(), bhh.offset(), sum.data(), 0);
        return sum;
    }

    @Override
    protected void inferenceStep(int m, StepRows rows) {
        k.activateRows(activation, m, hidden, rows.gates, 0, hidden, rows.xhNext, rows.hAt, rows.width);
    }

    @Override
    protected void forwardRows(int r0, int r1) {
        int m = r1 - r0;
        for (int t = 0; t < steps; t++) {
            int pre = at(t, r0, hidden);
            recurrentProjection(t, r0, r1, gates, pre, true);
            k.activate(activation, gates, pre, hs, at(t + 1, r0, hidden), m * hidden);
            carryEnded(t, r0, r1, hs);
            dropState(t, r0, r1);
        }
    }

    @Override
    protected void backwardRows(int r0, int r1) {
        int m = r1 - r0;
        float[] g = new float[m * hidden];
        float[] dhPrev = new float[m * hidden];
        System.arraycopy(dh, r0 * hidden, g, 0, m * hidden);
        for (int t = steps - 1; t >= 0; t--) {
            // g = dh(t+1) + dY(t); dP(t) = g ⊙ φ'(h(t+1)).
            gradientOfOutput(t, r0, r1, g);
            k.activateBackward(activation, outs, at(t + 1, r0, hidden), g, 0, dInputGates, at(t, r0, hidden), m * hidden, false);
            zeroEndedGradients(t, r0, r1, dInputGates);
            backRecurrentProjection(t, r0, r1, dInputGates, dhPrev);
            passThroughEnded(t, r0, r1, g, dhPrev);
            float[] swap = g;
            g = dhPrev;
            dhPrev = swap;
        }
        System.arraycopy(g, 0, dh, r0 * hidden, m * hidden);
    }
}
