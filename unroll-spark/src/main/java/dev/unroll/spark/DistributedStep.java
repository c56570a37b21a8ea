package dev.unroll.spark;

import dev.unroll.nn.Layer;
import dev.unroll.tensor.Rng;
import dev.unroll.train.BatchSums;
import dev.unroll.train.GradientSource;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of a distributed step, as a {@link GradientSource} for the trainer's fit
 * loop: the current weights go out as a broadcast, one job over the cached blocks returns one
 * piece per block (or per worker), and the pieces are added in the order of their indices into the
 * model's gradient buffer, whatever order the tasks finished in. What a task computes is the
 * subclass's {@link #pieces}. Keeps the {@link StepProfile} of its steps.
 */
abstract class DistributedStep implements GradientSource {
    private final JavaSparkContext sc;
    final TrainingData data;
    final Broadcast<TrainingTask> task;
    private final Layer model;
    private final Runnable beforeStep;
    private StepProfile profile = StepProfile.EMPTY;

    /** @param beforeStep run first in every step, when the trainer's state is between batches (e.g. to checkpoint) */
    DistributedStep(JavaSparkContext sc, TrainingData data, Broadcast<TrainingTask> task, Layer model, Runnable beforeStep) {
        this.sc = sc;
        this.data = data;
        this.task = task;
        this.model = model;
        this.beforeStep = beforeStep;
    }

    /** What the tasks of the step for {@code batch} compute, with the step's weights and seed. */
    abstract StepFunction pieces(Broadcast<float[]> weights, int[] batch, long seed);

    @Override
    public final int size() {
        return data.size();
    }

    @Override
    public final BatchSums gradients(int[] indices, Rng dropout) {
        beforeStep.run();
        long seed = dropout.nextLong();
        long broadcast = System.nanoTime();
        Broadcast<float[]> weights = sc.broadcast(model.flatParameters().values().clone());
        broadcast = System.nanoTime() - broadcast;
        long job = System.nanoTime();
        List<ChunkResult> pieces;
        try {
            pieces = data.blocks.mapPartitions(pieces(weights, indices, seed)).collect();
        } finally {
            job = System.nanoTime() - job;
            long destroy = System.nanoTime();
            weights.destroy();
            broadcast += System.nanoTime() - destroy;
        }
        long sum = System.nanoTime();
        float[] grads = model.flatParameters().grads();
        BatchSums sums = ChunkResult.addInOrder(pieces, grads, task.value().metrics.size());
        sum = System.nanoTime() - sum;
        if (sums.sequences() != indices.length) {
            throw new IllegalStateException("the step's pieces hold " + sums.sequences() + " sequences, the batch has " + indices.length);
        }
        profile = profile.plus(new StepProfile(1, broadcast, job, sum, ChunkResult.totalNanos(pieces),
                ChunkResult.slowestPartition(pieces), 4L * grads.length * pieces.size()));
        return sums;
    }

    final StepProfile profile() {
        return profile;
    }
}
