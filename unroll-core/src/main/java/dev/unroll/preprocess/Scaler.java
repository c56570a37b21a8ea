package dev.unroll.preprocess;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-column scaling, {@code z = (x − center) / scale}, fitted once on training values and applied
 * unchanged to everything after (validation, test, prediction): {@code standard} (mean and standard
 * deviation), {@code minmax} (minimum and range, to [0, 1]) or {@code none}. A constant column
 * gets scale 1.
 *
 * @param kind   the fitting rule
 * @param center subtracted first
 * @param scale  then divided by; positive
 */
public record Scaler(Kind kind, double center, double scale) {
    /** How a scaler is fitted. */
    public enum Kind {
        STANDARD, MINMAX, NONE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind parse(String id) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(id.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown scaling '" + id + "'; expected standard, minmax or none");
        }
    }

    public Scaler {
        if (!Double.isFinite(center) || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scaler: center must be finite and scale positive, got " + center + " and " + scale);
        }
    }

    /** The identity. */
    public static final Scaler NONE = new Scaler(Kind.NONE, 0, 1);

    /** Fits {@code kind} on the values of several arrays (e.g. one column of every series' training part). */
    public static Scaler fit(Kind kind, Iterable<float[]> columns) {
        if (kind == Kind.NONE) {
            return NONE;
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (float[] c : columns) {
            for (float v : c) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("scaler: no values to fit on");
        }
        if (kind == Kind.MINMAX) {
            return new Scaler(kind, min, max > min ? max - min : 1);
        }
        double mean = sum / n;
        double sq = 0;
        for (float[] c : columns) {
            for (float v : c) {
                sq += (v - mean) * (v - mean);
            }
        }
        double std = Math.sqrt(sq / n);
        return new Scaler(kind, mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    public double apply(double x) {
        return (x - center) / scale;
    }

    public double invert(double z) {
        return z * scale + center;
    }

    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", kind.id());
        c.put("center", center);
        c.put("scale", scale);
        return c;
    }

    public static Scaler fromConfig(Map<String, Object> c) {
        Configs.requireKeys("scaler", c, "kind", "center", "scale");
        return new Scaler(Kind.parse(Configs.string(c, "kind")), Configs.number(c, "center"), Configs.number(c, "scale"));
    }
}
