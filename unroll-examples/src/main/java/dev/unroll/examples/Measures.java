package dev.unroll.examples;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/** How the examples compare two tensors: the largest difference, and the mean squared error. */
final class Measures {
    private Measures() {
    }

    /** {@code max |a − b|} over all elements; the shapes must be equal. */
    static float maxAbsDifference(Tensor a, Tensor b) {
        Shape.requireEqual("difference", a.shape(), b.shape());
        float[] x = a.toArray();
        float[] y = b.toArray();
        float worst = 0f;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }

    /** {@code mean (prediction − target)²} over all elements, in double. */
    static double meanSquaredError(Tensor prediction, Tensor target) {
        Shape.requireEqual("mean squared error", prediction.shape(), target.shape());
        float[] p = prediction.toArray();
        float[] y = target.toArray();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - y[i];
            sum += d * d;
        }
        return sum / p.length;
    }
}
