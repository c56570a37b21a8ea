package dev.unroll.nn;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;

/** Orthogonal initialization by modified Gram–Schmidt (in double) on a Gaussian matrix. */
final class Orthogonal {
    private Orthogonal() {
    }

    /**
     * Fills the {@code [rows, cols]} tensor with a matrix whose rows (if rows ≤ cols) or columns
     * (otherwise) are orthonormal, times {@code gain}.
     */
    static void fill(Tensor t, Rng rng, float gain) {
        if (t.rank() != 2) {
            throw new ShapeException("orthogonal init needs a matrix, got " + dev.unroll.tensor.Shape.toString(t.shape()));
        }
        int rows = t.dim(0);
        int cols = t.dim(1);
        boolean transpose = rows > cols;
        // Orthonormalize the shorter side: n vectors of length len, n ≤ len.
        int n = transpose ? cols : rows;
        int len = transpose ? rows : cols;
        double[][] v = new double[n][len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                v[i][j] = rng.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < len; j++) {
                    dot += v[i][j] * v[k][j];
                }
                for (int j = 0; j < len; j++) {
                    v[i][j] -= dot * v[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < len; j++) {
                norm += v[i][j] * v[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < len; j++) {
                v[i][j] /= norm;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                float value = (float) (gain * v[i][j]);
                if (transpose) {
                    t.set(value, j, i);
                } else {
                    t.set(value, i, j);
                }
            }
        }
    }
}
