package dev.unroll.forecast;

/**
 * A split of each series by time into training, validation and test parts, in that order — never
 * shuffled across: the test part is the series' last steps, the validation part the steps before
 * it, the rest is for training. Each part is a number of steps or a fraction of the series.
 *
 * @param test               test steps, or -1 to use {@code testFraction}
 * @param testFraction       fraction of each series held out for testing (when {@code test} is -1)
 * @param validation         validation steps, or -1 to use {@code validationFraction}
 * @param validationFraction fraction of each series for validation (when {@code validation} is -1)
 */
public record Split(int test, double testFraction, int validation, double validationFraction) {
    /** Where the parts of a series of {@code n} steps end: {@code [0, trainEnd)}, {@code [trainEnd, validationEnd)}, {@code [validationEnd, n)}. */
    public record Bounds(int trainEnd, int validationEnd, int end) {
    }

    public Split {
        if (test < -1 || validation < -1 || !(testFraction >= 0 && testFraction < 1) || !(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("split: steps must be ≥ 0 and fractions in [0, 1), got test " + test + " / " + testFraction
                    + ", validation " + validation + " / " + validationFraction);
        }
    }

    /** The last {@code test} steps for testing, the {@code validation} before them for validation. */
    public static Split last(int test, int validation) {
        return new Split(test, 0, validation, 0);
    }

    /** Fractions of each series. */
    public static Split fractions(double test, double validation) {
        return new Split(-1, test, -1, validation);
    }

    /** No test part (all of a series is for training and validation). */
    public Split withoutTest() {
        return new Split(0, 0, validation, validationFraction);
    }

    public Bounds bounds(int n) {
        int t = test >= 0 ? test : (int) Math.round(n * testFraction);
        int v = validation >= 0 ? validation : (int) Math.round(n * validationFraction);
        int validationEnd = Math.max(0, n - t);
        return new Bounds(Math.max(0, validationEnd - v), validationEnd, n);
    }
}
