package dev.unroll.train;

/**
 * Receives training events; the library prints nothing itself (the command-line tool draws these
 * as progress lines). All methods are optional.
 */
public interface TrainingListener {

    /** Training starts: {@code totalSteps} optimizer updates are planned, {@code stepsPerEpoch} per epoch. */
    default void onStart(long totalSteps, long stepsPerEpoch) {
    }

    /** After each optimizer update. */
    default void onStep(long iteration, double loss) {
    }

    /** After each epoch or reporting period. */
    default void onProgress(Progress progress) {
    }
}
