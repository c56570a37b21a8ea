package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
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
 * hidden-side gradients differ (two buffers) and {@code hp_n} is kept for backward.
 */
final class FusedGru extends FusedSequence {
    /** {@code [T, B, H]}: hp_n = (h·W_hhᵀ + b_hh) restricted to the n gate. */
    private final float[] hiddenN;

    FusedGru(RecurrentCell cell, Tensor input, int[] lengths, float[] stateMask) {
        super(cell, input, lengths, stateMask);
        this.hiddenN = new float[steps * batch * hidden];
    }

    @Override
    protected Tensor projectionBias() {
        return cell.biasIh().value();
    }

    @Override
    protected void allocateBackward() {
        dInputGates = new float[steps * batch * gateWidth];
        dHiddenGates = new float[steps * batch * gateWidth];
    }

    @Override
    protected void forwardRows(int r0, int r1) {
        int h = hidden;
        int m = r1 - r0;
        Tensor bhh = cell.biasHh().value();
        float[] hp = new float[m * gateWidth];
        for (int t = 0; t < steps; t++) {
            java.util.Arrays.fill(hp, 0f);
            addRecurrentProjection(t, r0, r1, hp, 0);
            k.addRowVector(m, gateWidth, bhh.data(), bhh.offset(), hp, 0, gateWidth);
            for (int b = r0; b < r1; b++) {
                if (finished(b, t)) {
                    carryState(hs, t, b);
                    continue;
                }
                int p = (b - r0) * gateWidth;
                System.arraycopy(hp, p + 2 * h, hiddenN, at(t, b, h), h);
                stepRow(k, h, gates, at(t, b, gateWidth), hp, p, hs, at(t, b, h), hs, at(t + 1, b, h));
            }
            dropState(t, r0, r1);
        }
    }

    /**
     * One instance's step: from the input projection {@code xp = gates[gr .. gr + 3H)} (turned into
     * the activated r, z, n in place) and the hidden projection {@code hp[p .. p + 3H)}, writes
     * {@code h'}. Shared with streaming inference.
     */
    static void stepRow(KernelProvider k, int h, float[] gates, int gr, float[] hp, int p, float[] hPrev, int hPrevOff,
                        float[] hNext, int hNextOff) {
        int gn = gr + 2 * h;
        // r and z: σ(xp + hp), both gates at once.
        k.add(2 * h, gates, gr, hp, p, gates, gr);
        k.activate(Activation.SIGMOID, gates, gr, gates, gr, 2 * h);
        // n = tanh(xp_n + r ⊙ hp_n).
        k.mul(h, gates, gr, hp, p + 2 * h, gates, gn, true);
        k.activate(Activation.TANH, gates, gn, gates, gn, h);
        // h' = n + z ⊙ (h − n).
        System.arraycopy(hPrev, hPrevOff, hNext, hNextOff, h);
        k.axpy(h, -1f, gates, gn, hNext, hNextOff);
        k.mul(h, gates, gr + h, hNext, hNextOff, hNext, hNextOff, false);
        k.axpy(h, 1f, gates, gn, hNext, hNextOff);
    }

    @Override
    protected void backwardRows(int r0, int r1) {
        int h = hidden;
        int m = r1 - r0;
        float[] dhNext = new float[m * h];
        float[] dhPrev = new float[m * h];
        float[] direct = new float[m * h];
        float[] scratch = new float[h];
        System.arraycopy(dh, r0 * h, dhNext, 0, m * h);
        for (int t = steps - 1; t >= 0; t--) {
            gradientOfOutput(t, r0, r1, dhNext);
            for (int b = r0; b < r1; b++) {
                int row = (b - r0) * h;
                int gr = at(t, b, gateWidth);
                if (finished(b, t)) {
                    java.util.Arrays.fill(dInputGates, gr, gr + gateWidth, 0f);
                    java.util.Arrays.fill(dHiddenGates, gr, gr + gateWidth, 0f);
                    java.util.Arrays.fill(direct, row, row + h, 0f);
                    continue;
                }
                int gz = gr + h;
                int gn = gr + 2 * h;
                // The direct path dh' ⊙ z to the previous state.
                k.mul(h, dhNext, row, gates, gz, direct, row, false);
                // dn = (dh' − dh' ⊙ z) through tanh'.
                System.arraycopy(dhNext, row, dInputGates, gn, h);
                k.axpy(h, -1f, direct, row, dInputGates, gn);
                k.activateBackward(Activation.TANH, gates, gn, dInputGates, gn, dInputGates, gn, h, false);
                // dz = dh' ⊙ (h − n) through σ'.
                System.arraycopy(hs, at(t, b, h), scratch, 0, h);
                k.axpy(h, -1f, gates, gn, scratch, 0);
                k.mul(h, dhNext, row, scratch, 0, dInputGates, gz, false);
                k.activateBackward(Activation.SIGMOID, gates, gz, dInputGates, gz, dInputGates, gz, h, false);
                // dr = dn ⊙ hp_n through σ'.
                k.mul(h, dInputGates, gn, hiddenN, at(t, b, h), dInputGates, gr, false);
                k.activateBackward(Activation.SIGMOID, gates, gr, dInputGates, gr, dInputGates, gr, h, false);
                // Hidden side: [dr, dz, dn ⊙ r].
                System.arraycopy(dInputGates, gr, dHiddenGates, gr, 2 * h);
                k.mul(h, dInputGates, gn, gates, gr, dHiddenGates, gn, false);
            }
            backRecurrentProjection(t, r0, r1, dHiddenGates, dhPrev);
            k.add(m * h, dhPrev, 0, direct, 0, dhPrev, 0);
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
    }
}
