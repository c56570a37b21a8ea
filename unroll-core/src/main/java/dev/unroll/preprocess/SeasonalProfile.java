package dev.unroll.preprocess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seasonal profile of period {@code m}: one factor per position in the cycle, found by classical
 * decomposition (R's {@code decompose}) and removed before a model sees a series, put back on its
 * forecasts — so that the model learns what is left (level changes, trend, the irregular part).
 *
 * <pre>
 *   trend(t)   centred moving average of order m (for even m: 2×m, weights ½, 1, …, 1, ½ over m + 1 values)
 *   ratio(t)   x(t) / trend(t)  (multiplicative)   or   x(t) − trend(t)  (additive)
 *   factor(p)  mean of ratio(t) over t ≡ p (mod m), then normalised to mean 1 (or 0)
 * </pre>
 *
 * Positions count steps from the series' first training observation (position 0), so a factor is
 * tied to a time, not to a row of whatever file is read later. {@link #isSeasonal} is the M4
 * competition's test: the autocorrelation at lag m is beyond its 90% limit.
 *
 * @param period         m, at least 2 (a profile of period 1 is {@link #NONE})
 * @param multiplicative factors multiply (else they add)
 * @param factors        m factors, by position mod m
 */
public record SeasonalProfile(int period, boolean multiplicative, double[] factors) {
    /** No seasonality: the identity. */
    public static final SeasonalProfile NONE = new SeasonalProfile(1, true, new double[] {1});

    public SeasonalProfile {
        if (period < 1 || factors.length != period) {
            throw new IllegalArgumentException("seasonal profile: " + factors.length + " factors for period " + period);
        }
        for (double f : factors) {
            if (!Double.isFinite(f) || multiplicative && !(f > 0)) {
                throw new IllegalArgumentException("seasonal profile: factor " + f + " is not " + (multiplicative ? "positive" : "finite"));
            }
        }
        factors = factors.clone();
    }

    /**
     * The M4 seasonality test (as its R benchmark code): at least 3m values, and
     * {@code |acf(m)| > 1.645 · sqrt((1 + 2 Σ_{k<m} acf(k)²) / n)}.
     */
    public static boolean isSeasonal(double[] x, int m) {
        int n = x.length;
        if (m < 2 || n < 3 * m) {
            return false;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double denominator = 0;
        for (double v : x) {
            denominator += (v - mean) * (v - mean);
        }
        if (denominator == 0) {
            return false;
        }
        double sum = 1;
        double acfM = 0;
        for (int k = 1; k <= m; k++) {
            double s = 0;
            for (int i = k; i < n; i++) {
                s += (x[i] - mean) * (x[i - k] - mean);
            }
            double acf = s / denominator;
            if (k < m) {
                sum += 2 * acf * acf;
            } else {
                acfM = acf;
            }
        }
        return Math.abs(acfM) > 1.645 * Math.sqrt(sum / n);
    }

    /** Classical decomposition of {@code x} (at least 2m values; positive when multiplicative). */
    public static SeasonalProfile fit(double[] x, int m, boolean multiplicative) {
        if (m < 2) {
            return NONE;
        }
        int n = x.length;
        if (n < 2 * m) {
            throw new IllegalArgumentException("seasonal profile of period " + m + " needs at least " + 2 * m + " values, got " + n);
        }
        double[] sums = new double[m];
        int[] counts = new int[m];
        int half = m / 2;
        for (int t = half; t < n - half; t++) {
            double trend;
            if (m % 2 == 0) {
                trend = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int k = t - half + 1; k < t + half; k++) {
                    trend += x[k];
                }
            } else {
                trend = 0;
                for (int k = t - half; k <= t + half; k++) {
                    trend += x[k];
                }
            }
            trend /= m;
            if (multiplicative && !(trend > 0)) {
                throw new IllegalArgumentException("multiplicative seasonal profile: the series must be positive (trend " + trend + ")");
            }
            sums[t % m] += multiplicative ? x[t] / trend : x[t] - trend;
            counts[t % m]++;
        }
        double[] f = new double[m];
        double mean = 0;
        for (int p = 0; p < m; p++) {
            f[p] = sums[p] / counts[p];
            mean += f[p] / m;
        }
        for (int p = 0; p < m; p++) {
            f[p] = multiplicative ? f[p] / mean : f[p] - mean;
        }
        return new SeasonalProfile(m, multiplicative, f);
    }

    /** The factor at {@code position} (steps from position 0, any sign). */
    public double factor(long position) {
        return factors[(int) Math.floorMod(position, (long) period)];
    }

    /** {@code x} at {@code position} without the season. */
    public double remove(double x, long position) {
        return multiplicative ? x / factor(position) : x - factor(position);
    }

    /** {@code x} at {@code position} with the season put back. */
    public double restore(double x, long position) {
        return multiplicative ? x * factor(position) : x + factor(position);
    }

    public boolean isNone() {
        return period == 1;
    }

    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("period", period);
        c.put("multiplicative", multiplicative);
        List<Object> f = new ArrayList<>();
        for (double v : factors) {
            f.add(v);
        }
        c.put("factors", f);
        return c;
    }

    public static SeasonalProfile fromConfig(Map<String, Object> c) {
        Configs.requireKeys("seasonal profile", c, "period", "multiplicative", "factors");
        int period = Configs.integer(c, "period", 1, 1_000_000);
        return new SeasonalProfile(period, Configs.bool(c, "multiplicative"), Configs.numbers(c, "factors"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeasonalProfile p && p.period == period && p.multiplicative == multiplicative
                && java.util.Arrays.equals(p.factors, factors);
    }

    @Override
    public int hashCode() {
        return 31 * period + java.util.Arrays.hashCode(factors);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : (multiplicative ? "multiplicative" : "additive") + " period " + period;
    }
}
