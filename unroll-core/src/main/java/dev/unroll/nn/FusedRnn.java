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
        return CellStep.sumOfBiases(cell);
    }

    @Override
    protected void forwardStep(int t, Block block) {
        int pre = at(t, block.r0, hidden);
        stepProjection(t, block, gates, pre);
        k.activate(activation, gates, pre, hs, at(t + 1, block.r0, hidden), block.m * hidden);
    }

    /** dP(t) = g ⊙ φ'(h(t+1)), with g = dh(t+1) + dY(t) already in {@code block.dhNext}. */
    @Override
    protected void backwardStep(int t, Block block) {
        k.activateBackward(activation, outs, at(t + 1, block.r0, hidden), block.dhNext, 0, dGates, at(t, block.r0, gradientWidth),
                block.m * hidden, false);
    }
}
