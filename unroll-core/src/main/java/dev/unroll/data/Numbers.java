package dev.unroll.data;

/**
 * Numbers as data files write them: decimal only, {@code [+-]? (digits [. digits?] | . digits)
 * ([eE] [+-]? digits)?}. Java's own parsers accept more — hex floats ({@code 0x1p3}), type
 * suffixes ({@code 2.5f}), {@code NaN} and {@code Infinity} — none of which is a measurement.
 */
public final class Numbers {
    private Numbers() {
    }

    /** The text as a finite float, or NaN when it is not a decimal number or beyond float range. */
    public static float parseFloat(String text) {
        if (!isDecimal(text)) {
            return Float.NaN;
        }
        float v = Float.parseFloat(text);
        return Float.isInfinite(v) ? Float.NaN : v;
    }

    /** The text as a finite double, or NaN when it is not a decimal number or beyond double range. */
    public static double parseDouble(String text) {
        if (!isDecimal(text)) {
            return Double.NaN;
        }
        double v = Double.parseDouble(text);
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    /** True when the whole text is one decimal number. */
    public static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = digits(s, i);
        i += intDigits;
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            fracDigits = digits(s, i);
            i += fracDigits;
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = digits(s, i);
            if (expDigits == 0) {
                return false;
            }
            i += expDigits;
        }
        return i == n;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
