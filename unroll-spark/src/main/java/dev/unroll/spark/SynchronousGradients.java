package dev.unroll.spark;

import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSums;
import dev.unroll.train.GradientStep;
import java.util.ArrayList;
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

    SynchronousGradients(JavaSparkContext sc, TrainingData data, Broadcast<TrainingTask> task, Layer model, Runnable beforeStep) {
        super(sc, data, task, model, beforeStep);
    }

    @Override
    StepFunction pieces(Broadcast<float[]> weights, int[] batch, long seed) {
        return new BlockGradients(task, weights, batch, data.blockRows, seed);
    }

    /** A task: the gradient-only step over each of its blocks' rows of the batch. */
    private static final class BlockGradients extends StepFunction {
        private static final long serialVersionUID = 1L;

        BlockGradients(Broadcast<TrainingTask> task, Broadcast<float[]> weights, int[] batch, int blockRows, long seed) {
            super(task, weights, batch, blockRows, seed);
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
                    Batch b = block.batch(rows);
                    BatchSums sums = step.run(b, Context.training(b.lengths(), Seeds.stream(seed, block.id)));
                    results.add(new ChunkResult(block.id, step.model().flatParameters().grads().clone(), sums, partition(),
                            System.nanoTime() - start));
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
