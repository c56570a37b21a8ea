package dev.unroll.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks of option values. A failure is a {@link ParameterException}: one line naming the
 * option, the allowed range and the value given, exit code 2, and a pointer to {@code --help}.
 */
final class Checks {
    private Checks() {
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
    }

    /** {@code min ≤ value ≤ max}: sizes that would otherwise run for ever or fill the heap. */
    static void between(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** The most threads a command accepts: beyond it they only wait for each other. */
    static final int MAX_THREADS = 1024;

    /** A thread count in {@code [1, 1024]}. */
    static void threads(CommandSpec spec, String option, long value) {
        between(spec, option, value, 1, MAX_THREADS);
    }

    /** A strictly positive finite number (learning rates). */
    static void positive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a number greater than 0, got " + value);
        }
    }

    /** A number strictly between 0 and 1. */
    static void openFraction(CommandSpec spec, String option, double value) {
        if (!(value > 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be between 0 and 1 (exclusive), got " + value);
        }
    }

    /** A usage error that is not about one value's range (e.g. two options that exclude each other). */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
