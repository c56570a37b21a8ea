package dev.unroll.train;

/**
 * Truncated backpropagation through time (seed §17): each batch of long sequences is cut into
 * consecutive windows of {@code forwardSteps} (k1) steps; the recurrent state flows from window to
 * window, the gradient does not. In each window the first {@code k1 − k2} steps only advance the
 * state; the last {@code backwardSteps} (k2) steps are back-propagated, their outputs carry the
 * loss, and the optimizer updates once per window.
 *
 * <p>With {@code k1 = k2 =} the sequence length this is exactly full backpropagation through time.
 * It needs equal-length sequences with per-step targets. A window longer than the sequences is an
 * error, not a silent full pass.
 *
 * @param forwardSteps  k1, the window length
 * @param backwardSteps k2 in [1, k1], the steps back-propagated at the end of each window
 */
public record TruncatedBptt(int forwardSteps, int backwardSteps) {

    public TruncatedBptt {
        if (forwardSteps < 1 || backwardSteps < 1 || backwardSteps > forwardSteps) {
            throw new IllegalArgumentException("truncated BPTT needs 1 <= k2 <= k1, got k1 = " + forwardSteps + ", k2 = " + backwardSteps);
        }
    }

    /** Windows of k steps, all back-propagated (the usual form). */
    public static TruncatedBptt windows(int k) {
        return new TruncatedBptt(k, k);
    }

    void check(int steps, Batch batch) {
        if (forwardSteps > steps) {
            throw new IllegalArgumentException("truncated BPTT window k1 = " + forwardSteps + " is longer than the sequences ("
                    + steps + " steps)");
        }
        if (batch.lengths() != null) {
            throw new IllegalArgumentException("truncated BPTT needs equal-length sequences; this batch has lengths");
        }
        if (batch.targets() == null || batch.targets().dim(1) != steps) {
            throw new IllegalArgumentException("truncated BPTT needs a target at every input step (the loss is taken in every window)");
        }
    }
}
