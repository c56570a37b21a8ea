package dev.unroll.spark;

import dev.unroll.train.GradientStep;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model replicas an executor JVM keeps for the training runs it serves: one per task running
 * at the same time (a model's buffers are not shared between concurrent passes), built from the
 * run's checkpoint on first use and reused by every later step, which only loads the step's
 * weights. Only the latest few runs are kept.
 */
final class Replicas {
    private static final int RUNS_KEPT = 4;
    private static final Map<String, ConcurrentLinkedQueue<GradientStep>> BY_RUN = new LinkedHashMap<>();
    private static final AtomicLong BUILT = new AtomicLong();

    private Replicas() {
    }

    /** A replica for {@code task} holding {@code weights}; give it back with {@link #release}. */
    static GradientStep borrow(TrainingTask task, float[] weights) {
        GradientStep step = pool(task).poll();
        if (step == null) {
            step = new GradientStep(task.buildModel(), task.loss, task.metrics);
            BUILT.incrementAndGet();
        }
        float[] values = step.model().flatParameters().values();
        if (values.length != weights.length) {
            throw new IllegalStateException("training run " + task.id + ": the model has " + values.length + " parameters, the step sent "
                    + weights.length);
        }
        System.arraycopy(weights, 0, values, 0, weights.length);
        return step;
    }

    static void release(TrainingTask task, GradientStep step) {
        pool(task).add(step);
    }

    /** Replicas this JVM has built (for tests and reports). */
    static long built() {
        return BUILT.get();
    }

    private static ConcurrentLinkedQueue<GradientStep> pool(TrainingTask task) {
        synchronized (BY_RUN) {
            ConcurrentLinkedQueue<GradientStep> q = BY_RUN.get(task.id);
            if (q == null) {
                q = new ConcurrentLinkedQueue<>();
                BY_RUN.put(task.id, q);
                Iterator<String> oldest = BY_RUN.keySet().iterator();
                while (BY_RUN.size() > RUNS_KEPT) {
                    oldest.next();
                    oldest.remove();
                }
            }
            return q;
        }
    }
}
