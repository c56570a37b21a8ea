package dev.unroll.train;

import dev.unroll.nn.FlatParameters;
import dev.unroll.nn.Module;
import java.util.List;

/**
 * Keeps, in memory, the parameters of the epoch with the lowest validation loss, and puts them
 * back on {@link #restore()} — early stopping's other half: the model that is kept is the best one
 * seen, not the last one trained. (To keep the best model on disk, see
 * {@code dev.unroll.io.BestCheckpoint}.)
 */
public final class BestWeights implements Callback {
    private final FlatParameters parameters;
    private float[] best;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;

    public BestWeights(Module model) {
        this.parameters = model.flatParameters();
    }

    @Override
    public boolean afterProgress(Progress latest, List<Progress> history) {
        double loss = latest.validationLoss();
        if (Double.isNaN(loss)) {
            throw new IllegalStateException("best weights: no validation loss to monitor (is there a validation set?)");
        }
        if (loss < bestLoss) {
            bestLoss = loss;
            bestEpoch = latest.epoch();
            best = parameters.values().clone();
        }
        return false;
    }

    /** Puts the best parameters back (nothing to do before the first epoch). */
    public void restore() {
        if (best != null) {
            System.arraycopy(best, 0, parameters.values(), 0, best.length);
        }
    }

    public double bestLoss() {
        return bestLoss;
    }

    /** The epoch (or reporting period) of the best loss, 0 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
