package dev.unroll.autograd;

import dev.unroll.kernel.Softmax;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;

/** Loss functions as differentiable operations, each returning a scalar. */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean softmax cross-entropy of {@code logits [..., classes]} against integer class labels,
     * one per row (TensorFlow's {@code sparse_softmax_cross_entropy_with_logits} followed by a mean,
     * PyTorch's {@code CrossEntropyLoss}).
     *
     * <pre>
     *   loss   = (1/N) Σ_i [ log Σ_c exp(z_ic) − z_i,label_i ]
     *   dz_ic  = (softmax(z_i)_c − [c == label_i]) / N
     * </pre>
     */
    public static Variable softmaxCrossEntropy(Variable logits, int[] labels) {
        return softmaxCrossEntropy(logits, labels, null);
    }

    /**
     * Weighted mean over rows: {@code Σ_i w_i·ℓ_i / Σ_i w_i}. Zero weights exclude rows (e.g. the
     * padding steps of shorter sequences); {@code weights == null} means all ones.
     */
    public static Variable softmaxCrossEntropy(Variable logits, int[] labels, float[] weights) {
        int[] s = logits.shape();
        if (s.length < 1) {
            throw new ShapeException("softmaxCrossEntropy: logits must be [..., classes], got a scalar");
        }
        int classes = s[s.length - 1];
        int rows = classes == 0 ? 0 : logits.value().size() / classes;
        if (labels.length != rows) {
            throw new ShapeException("softmaxCrossEntropy: expected " + rows + " labels (one per row of logits "
                    + Shape.toString(s) + "), got " + labels.length);
        }
        if (rows == 0) {
            throw new ShapeException("softmaxCrossEntropy: no rows in logits " + Shape.toString(s));
        }
        float[] w = rowWeights("softmaxCrossEntropy", weights, rows);
        double weightSum = 0;
        for (int i = 0; i < rows; i++) {
            if (w[i] != 0f && (labels[i] < 0 || labels[i] >= classes)) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[i] + " at row " + i
                        + " is outside [0, " + classes + ")");
            }
            weightSum += w[i];
        }
        Tensor z = logits.value();
        Tensor probs = Tensor.zeros(rows, classes);
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (w[i] == 0f) {
                continue;
            }
            int row = z.offset() + i * classes;
            double lse = Softmax.logSumExp(classes, z.data(), row);
            total += w[i] * (lse - z.data()[row + labels[i]]);
            for (int c = 0; c < classes; c++) {
                probs.data()[i * classes + c] = (float) Math.exp(z.data()[row + c] - lse);
            }
        }
        int[] labelsCopy = Arrays.copyOf(labels, rows);
        double norm = weightSum;
        Tensor loss = Tensor.scalar((float) (total / norm));
        return Autograd.record("softmaxCrossEntropy", loss, dy -> {
            Tensor dz = logits.gradForAccumulation();
            double g = dy.data()[dy.offset()] / norm;
            for (int i = 0; i < rows; i++) {
                if (w[i] == 0f) {
                    continue;
                }
                float gi = (float) (g * w[i]);
                for (int c = 0; c < classes; c++) {
                    float p = probs.data()[i * classes + c] - (c == labelsCopy[i] ? 1f : 0f);
                    dz.data()[dz.offset() + i * classes + c] += gi * p;
                }
            }
        }, logits);
    }

    /**
     * Mean squared error {@code (1/n) Σ (prediction − target)²} over all elements; the shapes must
     * be equal (no broadcasting, which would hide a misaligned target).
     */
    public static Variable meanSquaredError(Variable prediction, Variable target) {
        return meanSquaredError(prediction, target, null);
    }

    /**
     * Weighted mean over rows of {@code [rows, features]} (all leading axes are rows):
     * {@code Σ_r w_r Σ_f (p − t)² / (features · Σ_r w_r)}. Zero weights exclude rows (padding
     * steps); {@code weights == null} means all ones.
     */
    public static Variable meanSquaredError(Variable prediction, Variable target, float[] weights) {
        return rowWeightedMean("meanSquaredError", prediction, target, weights, 2.0, (p, t, w, gradient, i) -> {
            float d = p - t;
            gradient[i] = w * d;
            return (double) gradient[i] * d;
        });
    }

    /**
     * Mean absolute error {@code Σ_r w_r Σ_f |p − t| / (features · Σ_r w_r)}, weighted by rows as
     * {@link #meanSquaredError(Variable, Variable, float[])}: the loss whose minimum is the median,
     * less pulled by outliers than the squared error. Its gradient is {@code sign(p − t)} (0 where
     * they are equal).
     */
    public static Variable meanAbsoluteError(Variable prediction, Variable target, float[] weights) {
        return rowWeightedMean("meanAbsoluteError", prediction, target, weights, 1.0, (p, t, w, gradient, i) -> {
            double d = p - t;
            gradient[i] = d > 0 ? w : d < 0 ? -w : 0f;
            return w * Math.abs(d);
        });
    }

    /** One element's share of a row-weighted loss. */
    private interface ElementLoss {
        /** The weighted loss of prediction p against target t (row weight w); writes its gradient with respect to p, up to the loss's scale, at {@code gradient[i]}. */
        double apply(float p, float t, float w, float[] gradient, int i);
    }

    /**
     * {@code Σ_r Σ_f loss(p, t, w_r) / (features · Σ_r w_r)} over rows of {@code [rows, features]};
     * the gradient is {@code scale · dy / count} times each element's, and its negative for the target.
     */
    private static Variable rowWeightedMean(String op, Variable prediction, Variable target, float[] weights, double scale,
                                            ElementLoss element) {
        Shape.requireEqual(op + ": target", prediction.shape(), target.shape());
        Tensor p = prediction.value();
        Tensor t = target.value();
        int n = p.size();
        if (n == 0) {
            throw new ShapeException(op + ": empty prediction " + Shape.toString(p.shape()));
        }
        int[] s = p.shape();
        int features = s.length == 0 ? 1 : s[s.length - 1];
        int rows = n / features;
        float[] w = rowWeights(op, weights, rows);
        float[] gradient = new float[n];
        double total = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            weightSum += w[r];
            for (int f = 0; f < features; f++) {
                int i = r * features + f;
                total += element.apply(p.data()[p.offset() + i], t.data()[t.offset() + i], w[r], gradient, i);
            }
        }
        double count = weightSum * features;
        Tensor loss = Tensor.scalar((float) (total / count));
        return Autograd.record(op, loss, dy -> {
            float g = (float) (scale * dy.data()[dy.offset()] / count);
            if (prediction.requiresGrad()) {
                Tensor dp = prediction.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, g, gradient, 0, dp.data(), dp.offset());
            }
            if (target.requiresGrad()) {
                Tensor dt = target.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, -g, gradient, 0, dt.data(), dt.offset());
            }
        }, prediction, target);
    }

    private static float[] rowWeights(String op, float[] weights, int rows) {
        if (weights == null) {
            float[] ones = new float[rows];
            Arrays.fill(ones, 1f);
            return ones;
        }
        if (weights.length != rows) {
            throw new ShapeException(op + ": expected " + rows + " row weights, got " + weights.length);
        }
        double sum = 0;
        for (float v : weights) {
            if (!(v >= 0f)) {
                throw new IllegalArgumentException(op + ": row weights must be >= 0, got " + v);
            }
            sum += v;
        }
        if (sum == 0) {
            throw new IllegalArgumentException(op + ": every row weight is zero; nothing to average");
        }
        return weights;
    }
}
