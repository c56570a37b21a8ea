package dev.unroll.cli;

import java.util.Locale;

/** Numbers, rates and durations as the command prints them (locale-independent). */
final class Format {
    private Format() {
    }

    /** Four significant digits: {@code 0.01234}, {@code 1.235}, {@code 1235}, {@code 1.234e-06}; NaN as {@code -}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
            return String.format(Locale.ROOT, "%." + digits + "f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** A fraction in [0, 1] with four decimals, e.g. accuracies: {@code 0.9712}. */
    static String fraction(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Seconds, to the millisecond below 10: {@code 0.042 s}, {@code 6.613 s}, {@code 12.3 s}. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, s < 10 ? "%.3f s" : "%.1f s", s);
    }

    /** Seconds as milliseconds, three figures: {@code 0.84 ms}, {@code 12.3 ms}, {@code 412 ms}. */
    static String milliseconds(double s) {
        double ms = s * 1e3;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms", ms);
    }

    /** A rate with precision fitting its size: {@code 512}, {@code 12.5}, {@code 0.83}. */
    static String rate(double r) {
        return String.format(Locale.ROOT, r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : "%.2f", r);
    }

    /** A duration for an ETA: {@code 7s}, {@code 1m05s}, {@code 2h03m}. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "--";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }

    /** An integer with thousands separators: {@code 10,401}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
