package dev.unroll.infer;

/**
 * What one session's step gives: the model's outputs for the steps taken ({@code steps × outputs}
 * values, in the caller's units) and the session's state after them.
 *
 * @param outputs one row of {@link Predictor#outputSize()} values per step taken
 * @param state   the state to pass to the session's next step
 */
public record StepResult(float[] outputs, SessionState state) {
}
