package dev.unroll.spark;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Layer;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What every task of one training run needs besides the current weights, broadcast once per run:
 * the model's architecture (a checkpoint, from which executors build their replicas), the loss and
 * the metrics, and an id that keys the replicas an executor keeps between steps.
 */
final class TrainingTask implements Serializable {
    private static final long serialVersionUID = 1L;

    final String id = UUID.randomUUID().toString();
    final byte[] model;
    final Loss loss;
    final List<Metric> metrics;

    TrainingTask(Trainer trainer) {
        this.model = Checkpoint.toBytes(trainer.model(), java.util.Map.of());
        this.loss = trainer.loss();
        this.metrics = new ArrayList<>(trainer.metrics());
    }

    /** A new replica of the model (with the weights of when the run started). */
    Layer buildModel() {
        try {
            return Checkpoint.read(model, "training task " + id).model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
