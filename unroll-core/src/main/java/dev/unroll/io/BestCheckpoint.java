package dev.unroll.io;

import dev.unroll.nn.Layer;
import dev.unroll.train.Callback;
import dev.unroll.train.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the best model seen during training: after each epoch, if the monitored validation
 * figure improved, the model is saved to the file (atomically, so the file always holds a complete
 * checkpoint of the best epoch so far).
 *
 * <pre>{@code
 * Trainer.builder(model, loss, optimizer)
 *     .callbacks(BestCheckpoint.onValidationLoss(model, Path.of("best.safetensors")))
 * }</pre>
 */
public final class BestCheckpoint implements Callback {
    private final Layer model;
    private final Path file;
    private final String metric;
    private final boolean higherIsBetter;
    private double best = Double.NaN;
    private int bestEpoch;

    /**
     * @param metric         a validation metric's name ({@code "accuracy"}, {@code "mse"}), or
     *                       {@code "loss"} for the validation loss
     * @param higherIsBetter true for accuracies, false for losses and errors
     */
    public BestCheckpoint(Layer model, Path file, String metric, boolean higherIsBetter) {
        this.model = model;
        this.file = file;
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
    }

    /** Keeps the model with the lowest validation loss. */
    public static BestCheckpoint onValidationLoss(Layer model, Path file) {
        return new BestCheckpoint(model, file, "loss", false);
    }

    @Override
    public boolean afterProgress(Progress latest, List<Progress> history) {
        double value = metric.equals("loss") ? latest.validationLoss() : latest.validationMetrics().getOrDefault(metric, Double.NaN);
        if (Double.isNaN(value)) {
            throw new IllegalStateException("best checkpoint: no validation " + metric + " to monitor (is there a validation set, "
                    + "and the metric among the trainer's metrics?)");
        }
        boolean improved = Double.isNaN(best) || (higherIsBetter ? value > best : value < best);
        if (improved) {
            best = value;
            bestEpoch = latest.epoch();
            try {
                Checkpoint.save(model, file);
            } catch (IOException e) {
                throw new UncheckedIOException("best checkpoint: cannot write " + file, e);
            }
        }
        return false;
    }

    /** The best value so far (NaN before the first epoch). */
    public double best() {
        return best;
    }

    /** The epoch (or reporting period) of the best value, 0 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
