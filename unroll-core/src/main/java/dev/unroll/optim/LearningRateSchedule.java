package dev.unroll.optim;

/**
 * Learning rate as a function of the update count (0 for the first update) and the base rate.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    double rate(long step, double base);

    /** The base rate throughout. */
    static LearningRateSchedule constant() {
        return (step, base) -> base;
    }

    /** {@code base · gamma^(step / every)} (PyTorch's StepLR). */
    static LearningRateSchedule stepDecay(long every, double gamma) {
        if (every <= 0) {
            throw new IllegalArgumentException("step decay: 'every' must be positive, got " + every);
        }
        return (step, base) -> base * Math.pow(gamma, step / every);
    }

    /** {@code base · gamma^step} (PyTorch's ExponentialLR, per update). */
    static LearningRateSchedule exponential(double gamma) {
        return (step, base) -> base * Math.pow(gamma, step);
    }

    /** Cosine annealing from base to {@code min} over {@code total} updates, then {@code min}. */
    static LearningRateSchedule cosine(long total, double min) {
        if (total <= 0) {
            throw new IllegalArgumentException("cosine schedule: total must be positive, got " + total);
        }
        return (step, base) -> step >= total ? min : min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * step / total));
    }

    /** Linear warm-up from base/warmup to base over {@code warmup} updates, then this schedule. */
    default LearningRateSchedule withWarmup(long warmup) {
        LearningRateSchedule after = this;
        return (step, base) -> step < warmup ? base * (step + 1) / warmup : after.rate(step - warmup, base);
    }
}
