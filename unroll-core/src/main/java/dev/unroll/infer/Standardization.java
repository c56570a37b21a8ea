package dev.unroll.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Standardization of a series, {@code z = (x − mean) / std}: a forecaster trained on a CSV series
 * learns on the standardized values (raw prices or temperatures would make the training badly
 * scaled) and its checkpoint records {@code mean} and {@code std}, so that predictions come back in
 * the series' units. The generated series of seed §11 is not scaled ({@link #NONE}), as in the seed.
 * Arithmetic in double, rounded once to float.
 *
 * @param mean subtracted first
 * @param std  then divided by; positive
 */
public record Standardization(double mean, double std) implements Preprocessing {
    /** Metadata keys the command line's forecasters are saved with. */
    public static final String MEAN_KEY = "unroll.cli.mean";
    public static final String STD_KEY = "unroll.cli.std";
    /** The window a forecaster was trained on (read by {@link Preprocessing#fromMetadata}). */
    public static final String WINDOW_KEY = "unroll.cli.window";

    /** Mean 0, std 1: values unchanged. */
    public static final Standardization NONE = new Standardization(0, 1);

    public Standardization {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("standardization needs a finite mean and a positive finite std, got mean " + mean
                    + " and std " + std);
        }
    }

    /** Mean and standard deviation of {@code values} (std 1 when the series is constant). */
    public static Standardization of(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double sq = 0;
        for (float v : values) {
            sq += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(sq / values.length);
        return new Standardization(mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    /**
     * The standardization recorded in a checkpoint's metadata ({@value #MEAN_KEY},
     * {@value #STD_KEY}; a missing one is 0 or 1), or empty when neither is there.
     */
    public static Optional<Standardization> fromMetadata(Map<String, String> metadata) {
        String mean = metadata.get(MEAN_KEY);
        String std = metadata.get(STD_KEY);
        if (mean == null && std == null) {
            return Optional.empty();
        }
        try {
            // Decimal numbers only, as a flag would be read (Double.parseDouble also takes 0x1p3 and NaN).
            return Optional.of(new Standardization(dev.unroll.data.Numbers.parseDouble(mean == null ? "0" : mean),
                    dev.unroll.data.Numbers.parseDouble(std == null ? "1" : std)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid series scaling in the metadata: " + MEAN_KEY + " = "
                    + dev.unroll.data.CsvReader.excerpt(String.valueOf(mean)) + ", " + STD_KEY + " = "
                    + dev.unroll.data.CsvReader.excerpt(String.valueOf(std)) + " (expected finite numbers, std > 0)");
        }
    }

    /** The metadata entries that record this standardization. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MEAN_KEY, Double.toString(mean));
        m.put(STD_KEY, Double.toString(std));
        return m;
    }

    /** The standardized values, in a new array. */
    public float[] apply(float[] values) {
        float[] z = values.clone();
        encode(z, 0, z.length, 1);
        return z;
    }

    public double invert(double z) {
        return z * std + mean;
    }

    /** The values in the series' units, in a new array. */
    public float[] invert(float[] z) {
        float[] x = z.clone();
        decode(x, 0, x.length, 1);
        return x;
    }

    @Override
    public void encode(float[] values, int offset, int rows, int features) {
        for (int i = offset; i < offset + rows * features; i++) {
            values[i] = (float) ((values[i] - mean) / std);
        }
    }

    @Override
    public void decode(float[] values, int offset, int rows, int features) {
        for (int i = offset; i < offset + rows * features; i++) {
            values[i] = (float) invert(values[i]);
        }
    }

    @Override
    public String toString() {
        return "standardization (mean " + mean + ", std " + std + ")";
    }
}
