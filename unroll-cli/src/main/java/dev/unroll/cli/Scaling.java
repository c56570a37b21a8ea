package dev.unroll.cli;

/**
 * Standardization of a series, {@code z = (x − mean) / std}: a forecaster trained on a CSV series
 * learns on the standardized values (raw prices or temperatures would make the training badly scaled)
 * and its checkpoint records {@code mean} and {@code std}, so that predictions come back in the
 * series' units. The generated series of seed §11 is not scaled ({@link #NONE}), as in the seed.
 *
 * @param mean subtracted first
 * @param std  then divided by; positive
 */
record Scaling(double mean, double std) {
    static final Scaling NONE = new Scaling(0, 1);

    /** Mean and standard deviation of {@code values} (std 1 when the series is constant). */
    static Scaling of(float[] values) {
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
        return new Scaling(mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    float[] apply(float[] values) {
        float[] z = new float[values.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) ((values[i] - mean) / std);
        }
        return z;
    }

    double invert(double z) {
        return z * std + mean;
    }

    float[] invert(float[] z) {
        float[] x = new float[z.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) invert(z[i]);
        }
        return x;
    }
}
