package dev.unroll.spark;

import dev.unroll.autograd.Variable;
import dev.unroll.train.Batch;
import dev.unroll.train.Loss;
import org.apache.spark.TaskContext;

/**
 * A loss that makes the first attempt of some tasks fail in the middle of their step (after the
 * forward pass, before the backward pass): every task of partition 1 in every third stage. Later
 * attempts, and the driver, compute the wrapped loss unchanged.
 */
final class FailingOnce implements Loss {
    private static final long serialVersionUID = 1L;
    private final Loss inner;

    FailingOnce(Loss inner) {
        this.inner = inner;
    }

    @Override
    public Variable compute(Variable prediction, Batch batch) {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && task.partitionId() == 1 && task.stageId() % 3 == 0) {
            throw new IllegalStateException("injected failure in stage " + task.stageId());
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
