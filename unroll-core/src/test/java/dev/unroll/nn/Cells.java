package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;

/** The cell variants every recurrent test runs over. */
final class Cells {
    private Cells() {
    }

    enum Kind {
        RNN_TANH, RNN_RELU, LSTM, GRU;

        CellType type() {
            return switch (this) {
                case RNN_TANH, RNN_RELU -> CellType.RNN;
                case LSTM -> CellType.LSTM;
                case GRU -> CellType.GRU;
            };
        }
    }

    static RecurrentCell create(Kind kind, int inputs, int hidden, long seed) {
        Rng rng = new Rng(seed);
        return switch (kind) {
            case RNN_TANH -> new SimpleRnnCell(inputs, hidden, rng);
            case RNN_RELU -> new SimpleRnnCell(inputs, hidden, Activation.RELU, CellInit.pytorch(), rng);
            case LSTM -> new LstmCell(inputs, hidden, rng);
            case GRU -> new GruCell(inputs, hidden, rng);
        };
    }
}
