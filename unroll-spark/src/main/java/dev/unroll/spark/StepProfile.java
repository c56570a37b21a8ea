package dev.unroll.spark;

import java.util.Locale;

/**
 * Where the time of distributed steps went, summed over the steps of a run: the terms of the cost
 * model in {@code docs/spark.md}. Measured on the driver, except the compute, which the tasks
 * measure around their gradient-only steps.
 *
 * @param steps          steps measured
 * @param broadcastNanos sending the weights (creating the broadcast, and destroying it after)
 * @param jobNanos       the job, from submission to the last result on the driver
 * @param sumNanos       adding the pieces in order on the driver
 * @param computeNanos   the tasks' gradient computations, all pieces
 * @param slowestNanos   per step, the busiest task's computations, summed over steps
 * @param resultBytes    gradient bytes collected, all pieces
 */
public record StepProfile(long steps, long broadcastNanos, long jobNanos, long sumNanos, long computeNanos, long slowestNanos,
                          long resultBytes) {

    static final StepProfile EMPTY = new StepProfile(0, 0, 0, 0, 0, 0, 0);

    StepProfile plus(StepProfile o) {
        return new StepProfile(steps + o.steps, broadcastNanos + o.broadcastNanos, jobNanos + o.jobNanos, sumNanos + o.sumNanos,
                computeNanos + o.computeNanos, slowestNanos + o.slowestNanos, resultBytes + o.resultBytes);
    }

    /** Milliseconds per step of a term. */
    public double perStepMillis(long nanos) {
        return steps == 0 ? Double.NaN : nanos / 1e6 / steps;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d steps; per step: broadcast %.2f ms, job %.2f ms (slowest task computing %.2f ms), "
                + "driver sum %.2f ms, compute over all tasks %.2f ms, results %.1f KB", steps, perStepMillis(broadcastNanos),
                perStepMillis(jobNanos), perStepMillis(slowestNanos), perStepMillis(sumNanos), perStepMillis(computeNanos),
                steps == 0 ? Double.NaN : resultBytes / 1024.0 / steps);
    }
}
