package dev.unroll.train;

import java.util.List;

/**
 * Stops training when the validation loss has not improved by at least {@code minDelta} for
 * {@code patience} consecutive epochs.
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int waited;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping: patience must be at least 1, got " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public boolean afterProgress(Progress latest, List<Progress> history) {
        double loss = latest.validationLoss();
        if (Double.isNaN(loss)) {
            throw new IllegalStateException("early stopping needs a validation set");
        }
        if (loss < best - minDelta) {
            best = loss;
            waited = 0;
            return false;
        }
        return ++waited >= patience;
    }
}
