package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.PackedMatrix;
import dev.unroll.tensor.Tensor;

/**
 * The inference step of one recurrent cell, shared by the fused inference loop
 * ({@link FusedSequence}), {@link StreamingModel} and {@link StepProgram}: one product of the rows
 * {@code [x(t) | 1 | h(t)]} with the stacked weights {@code [W_ih | b | W_hh]}, bias included,
 * then the cell's arithmetic. GRU, whose reset gate multiplies the hidden projection alone, makes
 * two products over the same rows: {@code [x | 1]·[W_ih | b_ih]ᵀ} and {@code [1 | h]·[b_hh | W_hh]ᵀ}.
 *
 * <p>The weights are copied and packed once, when the step is made: it is immutable and any number
 * of threads may run it at once, each on its own {@link Rows}. The packed product computes every
 * element the same way whatever the number of rows, so a row gives the same bits whether it is
 * stepped alone or with others.
 */
final class CellStep {
    private final KernelProvider k = Kernels.provider();
    private final CellType type;
    private final Activation activation;
    final int inputs;
    final int hidden;
    final int gateWidth;
    /** Row length of the step rows: {@code I + 1 + H}. */
    final int width;
    /** Column of h(t) in a step row. */
    final int hAt;
    /** {@code [W_ih | b | W_hh]ᵀ}; GRU: {@code [W_ih | b_ih]ᵀ}. */
    private final PackedMatrix weights;
    /** GRU's {@code [b_hh | W_hh]ᵀ}, applied to the {@code [1 | h]} columns; null for other cells. */
    private final PackedMatrix hiddenWeights;

    CellStep(RecurrentCell cell) {
        this.type = cell.type();
        this.activation = cell instanceof SimpleRnnCell rnn ? rnn.activation() : null;
        this.inputs = cell.inputSize();
        this.hidden = cell.hiddenSize();
        this.gateWidth = type.gates * hidden;
        this.width = inputs + 1 + hidden;
        this.hAt = inputs + 1;
        if (type == CellType.GRU) {
            float[] hiddenSide = stacked(gateWidth, hidden + 1, cell.biasHh().value(), cell.weightHh().value());
            hiddenWeights = k.pack(true, hidden + 1, gateWidth, hiddenSide, 0, hidden + 1);
            float[] inputSide = stacked(gateWidth, inputs + 1, cell.weightIh().value(), cell.biasIh().value());
            weights = k.pack(true, inputs + 1, gateWidth, inputSide, 0, inputs + 1);
        } else {
            float[] stacked = stacked(gateWidth, width, cell.weightIh().value(), sumOfBiases(cell), cell.weightHh().value());
            weights = k.pack(true, width, gateWidth, stacked, 0, width);
            hiddenWeights = null;
        }
    }

    /**
     * The packed {@code [W_ih | b_ih + b_hh | W_hh]ᵀ} of an RNN or LSTM cell, which its training
     * steps multiply too.
     */
    PackedMatrix stackedWeights() {
        if (type == CellType.GRU) {
            throw new IllegalStateException("GRU keeps its hidden projection apart: no stacked weights");
        }
        return weights;
    }

    /** True for cells with a memory cell c besides h (LSTM). */
    boolean hasCell() {
        return type == CellType.LSTM;
    }

    /** Floats of state per row: h, and c for LSTM. */
    int stateSize() {
        return hasCell() ? 2 * hidden : hidden;
    }

    /** {@code b_ih + b_hh}: where both biases are added to every pre-activation, they are added once. */
    static Tensor sumOfBiases(RecurrentCell cell) {
        Tensor sum = cell.biasIh().value().copy();
        Tensor bhh = cell.biasHh().value();
        Kernels.provider().axpy(sum.size(), 1f, bhh.data(), bhh.offset(), sum.data(), 0);
        return sum;
    }

    /**
     * Side by side, the {@code [gateWidth, ·]} matrices given (a bias vector counts as one column),
     * each starting at the next column: {@code stacked(g, w, W_ih, b)} is {@code [W_ih | b]}. The
     * row length is {@code width} (columns past the parts are zero).
     */
    static float[] stacked(int gateWidth, int width, Tensor... parts) {
        float[] out = new float[gateWidth * width];
        int at = 0;
        for (Tensor part : parts) {
            int cols = part.size() / gateWidth;
            for (int g = 0; g < gateWidth; g++) {
                System.arraycopy(part.data(), part.offset() + g * cols, out, g * width + at, cols);
            }
            at += cols;
        }
        return out;
    }

    /** Buffers for stepping up to {@code capacity} rows. */
    Rows rows(int capacity) {
        return new Rows(this, capacity);
    }

    /**
     * One step of the first {@code m} rows: from {@code rows.xh} ({@code [x(t) | 1 | h(t)]}, and
     * {@code rows.c} for LSTM) writes h(t+1) into the h columns of {@code rows.xhNext} (and c(t+1)
     * into {@code rows.cNext}). The caller then makes them current: {@link Rows#swap} when every
     * row was stepped, {@link Rows#advance} otherwise.
     */
    void step(int m, Rows rows) {
        k.gemm(m, rows.xh, 0, width, weights, rows.gates, 0, gateWidth, false);
        switch (type) {
            case RNN -> k.activateRows(activation, m, hidden, rows.gates, 0, hidden, rows.xhNext, hAt, width);
            case LSTM -> {
                k.lstmForward(m, hidden, rows.gates, 0, rows.c, 0, rows.cNext, 0, rows.tanhC, 0, rows.hOut, 0);
                rows.storeHidden(m, rows.hOut);
            }
            case GRU -> {
                k.gemm(m, rows.xh, hAt - 1, width, hiddenWeights, rows.hp, 0, gateWidth, false);
                for (int r = 0; r < m; r++) {
                    System.arraycopy(rows.xh, r * width + hAt, rows.hOut, r * hidden, hidden);
                }
                k.gruForward(m, hidden, rows.gates, 0, rows.hp, 0, null, 0, null, 0, rows.hOut, 0, rows.hOut, 0);
                rows.storeHidden(m, rows.hOut);
            }
        }
    }

    /**
     * One caller's buffers for a {@link CellStep}, for up to {@code capacity} rows. Each row of
     * {@code xh} is {@code [x(t) | 1 | h(t)]}; the ones column is set once, here.
     */
    static final class Rows {
        private final int width;
        private final int hAt;
        private final int hidden;
        final int capacity;
        float[] xh;
        float[] xhNext;
        /** {@code [m, G·H]}: the pre-activations (GRU: the input side), then the gates. */
        final float[] gates;
        /** {@code [m, G·H]}: GRU's hidden projection (null for other cells). */
        final float[] hp;
        /** {@code [m, H]}: a cell's new h before it is stored into {@link #xhNext} (null for RNN). */
        final float[] hOut;
        /** LSTM's memory cells (null for other cells). */
        float[] c;
        float[] cNext;
        final float[] tanhC;

        private Rows(CellStep step, int capacity) {
            this.width = step.width;
            this.hAt = step.hAt;
            this.hidden = step.hidden;
            this.capacity = capacity;
            xh = new float[capacity * width];
            xhNext = new float[capacity * width];
            for (int r = 0; r < capacity; r++) {
                xh[r * width + step.inputs] = 1f;
                xhNext[r * width + step.inputs] = 1f;
            }
            gates = new float[capacity * step.gateWidth];
            boolean gru = step.type == CellType.GRU;
            boolean lstm = step.hasCell();
            hp = gru ? new float[capacity * step.gateWidth] : null;
            hOut = gru || lstm ? new float[capacity * hidden] : null;
            c = lstm ? new float[capacity * hidden] : null;
            cNext = lstm ? new float[capacity * hidden] : null;
            tanhC = lstm ? new float[capacity * hidden] : null;
        }

        /** After a step: the new states become the current ones. */
        void swap() {
            float[] t = xh;
            xh = xhNext;
            xhNext = t;
            if (c != null) {
                t = c;
                c = cNext;
                cNext = t;
            }
        }

        /**
         * After a step of the first {@code m} rows: their new states become current, by copy, and
         * the other rows keep theirs ({@link #swap} would hand them the stale buffers).
         */
        void advance(int m) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(xhNext, r * width + hAt, xh, r * width + hAt, hidden);
            }
            if (c != null) {
                System.arraycopy(cNext, 0, c, 0, m * hidden);
            }
        }

        /** Copies {@code [m, H]} rows of h into the h columns of {@link #xhNext}. */
        private void storeHidden(int m, float[] h) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(h, r * hidden, xhNext, r * width + hAt, hidden);
            }
        }

        /** Offset of row {@code r}'s h(t) in {@link #xh}. */
        int hidden(int r) {
            return r * width + hAt;
        }

        /** Offset of row {@code r}'s x(t) in {@link #xh}. */
        int input(int r) {
            return r * width;
        }
    }
}
