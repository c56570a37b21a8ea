package dev.unroll.nn;

import dev.unroll.autograd.Variable;

/**
 * The state a recurrent cell carries from one time step to the next (its memory, seed §2):
 * {@code h [batch, hidden]} for simple RNN and GRU cells; {@code (h, c)} for LSTM, where {@code c}
 * is the cell's long-term memory and {@code h} its output.
 *
 * @param h the hidden state, also the cell's output
 * @param c the LSTM memory cell, or null for cells without one
 */
public record State(Variable h, Variable c) {

    /** A state without memory cell (simple RNN, GRU). */
    public static State of(Variable h) {
        return new State(h, null);
    }

    /** True for LSTM states. */
    public boolean hasCell() {
        return c != null;
    }

    /** Batch size. */
    public int batch() {
        return h.dim(0);
    }
}
