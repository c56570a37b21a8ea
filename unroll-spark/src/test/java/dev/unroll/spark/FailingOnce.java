package dev.unroll.spark;

import dev.unroll.autograd.Variable;
import dev.unroll.train.Batch;
import dev.unroll.train.Loss;
import org.apache.spark.TaskContext;

/**
 * A loss that makes the first attempt of some tasks fail in the middle of their step (after the
 * forward pass, before the backward pass), or stall there so that a speculative copy overtakes
 * it: every task of partition 1 in every third stage. Later attempts, and the driver, compute the
 * wrapped loss unchanged.
 */
final class FailingOnce implements Loss {
    private static final long serialVersionUID = 1L;
    private final Loss inner;
    private final long stallMillis;

    /** @param stallMillis 0 to throw; otherwise how long the first attempt sleeps instead */
    FailingOnce(Loss inner, long stallMillis) {
        this.inner = inner;
        this.stallMillis = stallMillis;
    }

    @Override
    public Variable compute(Variable prediction, Batch batch) {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && task.partitionId() == 1 && task.stageId() % 3 == 0) {
            if (stallMillis == 0) {
                throw new IllegalStateException("injected failure in stage " + task.stageId());
            }
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                // A speculative copy won and Spark killed this attempt: its result is not used.
                Thread.currentThread().interrupt();
            }
        }
        return inner.compute(prediction, batch);
    }

    @Override
    public double count(int[] predictionShape, Batch batch) {
        return inner.count(predictionShape, batch);
    }

    @Override
    public String name() {
        return inner.name();
    }
}
