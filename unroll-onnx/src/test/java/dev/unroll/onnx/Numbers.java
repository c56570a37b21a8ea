package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.tensor.Tensor;

/** Comparisons of tensors computed by two implementations. */
final class Numbers {
    private Numbers() {
    }

    /** The largest absolute difference between two tensors of the same shape (checked). */
    static double maxAbsDifference(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] a = expected.toArray();
        float[] b = actual.toArray();
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }
}
