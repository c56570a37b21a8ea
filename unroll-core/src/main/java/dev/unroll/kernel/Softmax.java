package dev.unroll.kernel;

/**
 * Row-wise softmax and log-sum-exp, numerically stable (the row maximum is subtracted before
 * exponentiating). Rows are short (one per class) and few, so a plain loop in double suffices.
 */
public final class Softmax {
    private Softmax() {
    }

    /**
     * Writes {@code softmax(x[r])} for each of {@code rows} rows of {@code cols} values into
     * {@code out} and returns nothing; {@code out} may equal {@code x}.
     */
    public static void rows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int to = outOff + r * cols;
            double lse = logSumExp(cols, x, in);
            for (int j = 0; j < cols; j++) {
                out[to + j] = (float) Math.exp(x[in + j] - lse);
            }
        }
    }

    /** {@code log Σ_j exp(x[off + j])} for one row of {@code cols} values. */
    public static double logSumExp(int cols, float[] x, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[off + j]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(x[off + j] - max);
        }
        return max + Math.log(sum);
    }
}
