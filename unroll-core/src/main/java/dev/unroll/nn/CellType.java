package dev.unroll.nn;

import java.util.Locale;

/** The recurrent cell kinds, with the number of gates stacked in their weights. */
public enum CellType {
    /** Simple RNN, {@code h' = φ(W_ih·x + b_ih + W_hh·h + b_hh)} (the seed's BasicRNNCell). */
    RNN(1),
    /** Long short-term memory, gates i, f, g, o. */
    LSTM(4),
    /** Gated recurrent unit, gates r, z, n. */
    GRU(3);

    /** Gates stacked along the first axis of {@code weight_ih} and {@code weight_hh}. */
    public final int gates;

    CellType(int gates) {
        this.gates = gates;
    }

    /** Lower-case name: {@code rnn}, {@code lstm}, {@code gru}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code rnn}, {@code lstm}, {@code gru} (case-insensitive), with an error listing the choices. */
    public static CellType parse(String name) {
        for (CellType t : values()) {
            if (t.name().equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown cell type '" + name + "'; expected one of rnn, lstm, gru");
    }
}
