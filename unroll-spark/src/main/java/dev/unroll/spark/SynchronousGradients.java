package dev.unroll.spark;

import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.tensor.Rng;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSums;
import dev.unroll.train.GradientStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Exact synchronous data-parallel steps: each task computes, block by block, the summed loss and
 * gradient of its blocks' rows of the global batch (in batch order) with a replica holding the
 * step's weights; the driver adds the blocks' sums in block order, and the fit loop divides by the
 * global count, clips and steps the optimizer, whose state stays on the driver.
 *
 * <p>The result does not depend on the number of partitions or executors, nor on retries or
 * speculative copies of tasks: a block's sums are a function of the weights, the batch, the step's
 * seed and the block (whose rows are fixed by the table), and they are added in a fixed order.
 */
final class SynchronousGradients extends DistributedStep {
    private final int passRows;

    /** @param passRows rows per forward and backward pass inside a task (see {@link SparkTrainer.Builder#passRows}) */
    SynchronousGradients(JavaSparkContext sc, TrainingData data, Broadcast<TrainingTask> task, Layer model, int passRows,
                         Runnable beforeStep) {
        super(sc, data, task, model, beforeStep);
        this.passRows = passRows;
    }

    @Override
    StepFunction pieces(Broadcast<float[]> weights, int[] batch, long seed) {
        return new BlockGradients(task, weights, batch, data.blockRows, seed, passRows);
    }

    /**
     * A task: for each of its blocks, the gradient-only step over the block's rows of the batch in
     * passes of {@code passRows} rows (the last takes the rest), summed in pass order. A block's
     * share of a batch varies from step to step; passes of a fixed size let the layers reuse their
     * buffers instead of allocating and zeroing new ones.
     */
    private static final class BlockGradients extends StepFunction {
        private static final long serialVersionUID = 1L;
        private final int passRows;

        BlockGradients(Broadcast<TrainingTask> task, Broadcast<float[]> weights, int[] batch, int blockRows, long seed, int passRows) {
            super(task, weights, batch, blockRows, seed);
            this.passRows = passRows;
        }

        @Override
        public Iterator<ChunkResult> call(Iterator<Block> blocks) {
            useTaskCores();
            TrainingTask t = task.value();
            List<ChunkResult> results = new ArrayList<>();
            GradientStep step = null;
            try {
                while (blocks.hasNext()) {
                    Block block = blocks.next();
                    int[] rows = rowsIn(block);
                    if (rows.length == 0) {
                        continue;
                    }
                    if (step == null) {
                        step = Replicas.borrow(t, weights.value());
                    }
                    long start = System.nanoTime();
                    Rng dropout = Seeds.stream(seed, block.id);
                    float[] grads = step.model().flatParameters().grads();
                    float[] sum = null;
                    BatchSums sums = BatchSums.zero(t.metrics.size());
                    for (int from = 0; from < rows.length; from += passRows) {
                        Batch b = block.batch(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + passRows)));
                        sums = sums.plus(step.run(b, Context.training(b.lengths(), dropout)));
                        if (sum == null) {
                            sum = grads.clone();
                        } else {
                            for (int i = 0; i < sum.length; i++) {
                                sum[i] += grads[i];
                            }
                        }
                    }
                    results.add(new ChunkResult(block.id, sum, sums, partition(), System.nanoTime() - start));
                }
            } finally {
                if (step != null) {
                    Replicas.release(t, step);
                }
            }
            return results.iterator();
        }
    }
}
