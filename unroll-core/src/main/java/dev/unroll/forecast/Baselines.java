package dev.unroll.forecast;

import dev.unroll.preprocess.SeasonalProfile;
import java.util.List;

/**
 * The classical baselines every forecast is compared with, each a function of the history alone
 * (as the M4 competition defines them):
 * <ul>
 *   <li><b>naive</b>: the last value, repeated;</li>
 *   <li><b>seasonal naive</b>: the value one season before, {@code ŷ(T+k) = y(T+k−m·⌈k/m⌉)};</li>
 *   <li><b>drift</b>: the line through the first and last values, extended;</li>
 *   <li><b>Naive2</b>: naive on the seasonally adjusted history (classical multiplicative
 *       decomposition, when the M4 seasonality test finds the series seasonal and it is
 *       positive), the season put back.</li>
 * </ul>
 */
public final class Baselines {
    /** The names, in the order reports list them. */
    public static final List<String> NAMES = List.of("naive", "snaive", "drift", "naive2");

    private Baselines() {
    }

    /** The named baseline's forecast of {@code h} steps after {@code history}, with season {@code m}. */
    public static double[] forecast(String name, double[] history, int h, int m) {
        return switch (name) {
            case "naive" -> naive(history, h);
            case "snaive" -> seasonalNaive(history, h, m);
            case "drift" -> drift(history, h);
            case "naive2" -> naive2(history, h, m);
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "'; expected one of " + NAMES);
        };
    }

    public static double[] naive(double[] history, int h) {
        double[] f = new double[h];
        java.util.Arrays.fill(f, history[history.length - 1]);
        return f;
    }

    /** With {@code m < 2} or less than a season of history, the naive forecast. */
    public static double[] seasonalNaive(double[] history, int h, int m) {
        int n = history.length;
        if (m < 2 || n < m) {
            return naive(history, h);
        }
        double[] f = new double[h];
        for (int k = 0; k < h; k++) {
            f[k] = history[n - m + k % m];
        }
        return f;
    }

    public static double[] drift(double[] history, int h) {
        int n = history.length;
        double slope = n > 1 ? (history[n - 1] - history[0]) / (n - 1) : 0;
        double[] f = new double[h];
        for (int k = 0; k < h; k++) {
            f[k] = history[n - 1] + slope * (k + 1);
        }
        return f;
    }

    public static double[] naive2(double[] history, int h, int m) {
        SeasonalProfile season = seasonOf(history, m);
        int n = history.length;
        double last = season.remove(history[n - 1], n - 1);
        double[] f = new double[h];
        for (int k = 0; k < h; k++) {
            f[k] = season.restore(last, n + k);
        }
        return f;
    }

    /**
     * The multiplicative profile Naive2 removes — when the series is positive and seasonal by the
     * M4 test — or {@link SeasonalProfile#NONE}.
     */
    public static SeasonalProfile seasonOf(double[] history, int m) {
        if (m < 2 || !SeasonalProfile.isSeasonal(history, m)) {
            return SeasonalProfile.NONE;
        }
        for (double v : history) {
            if (!(v > 0)) {
                return SeasonalProfile.NONE;
            }
        }
        return SeasonalProfile.fit(history, m, true);
    }
}
