package dev.unroll.train;

/**
 * Training produced a NaN or infinite loss or gradient. The message names the step and, for a
 * gradient, the parameter, e.g. {@code "epoch 3, iteration 812: gradient of rnn.weight_hh_l0 is
 * NaN (element 4417)"} — lower the learning rate or clip gradients.
 */
public class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
