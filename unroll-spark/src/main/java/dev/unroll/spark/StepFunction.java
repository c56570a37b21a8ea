package dev.unroll.spark;

import dev.unroll.kernel.Parallel;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a task of a distributed step gets (the run's task, the step's weights, batch and seed) and
 * the helpers every kind of step needs: its blocks' rows of the batch, the task's cores.
 */
abstract class StepFunction implements FlatMapFunction<Iterator<Block>, ChunkResult> {
    private static final long serialVersionUID = 1L;

    final Broadcast<TrainingTask> task;
    final Broadcast<float[]> weights;
    private final int[] batch;
    private final int blockRows;
    final long seed;

    StepFunction(Broadcast<TrainingTask> task, Broadcast<float[]> weights, int[] batch, int blockRows, long seed) {
        this.task = task;
        this.weights = weights;
        this.batch = batch;
        this.blockRows = blockRows;
        this.seed = seed;
    }

    /** The block's rows of the batch, relative to its first row, in batch order. */
    final int[] rowsIn(Block block) {
        int[] rows = new int[batch.length];
        int n = 0;
        for (int index : batch) {
            if (index / blockRows == block.id) {
                rows[n++] = (int) (index - block.first);
            }
        }
        return Arrays.copyOf(rows, n);
    }

    /**
     * Kernels on as many threads as the task has cores (one, usually): Spark runs one task per core
     * already. The thread count is per JVM; results do not depend on it.
     */
    static void useTaskCores() {
        TaskContext context = TaskContext.get();
        Parallel.setThreads(context == null ? 1 : Math.max(1, context.cpus()));
    }

    static int partition() {
        TaskContext context = TaskContext.get();
        return context == null ? 0 : context.partitionId();
    }
}
