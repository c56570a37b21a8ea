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
        Shape.requireEqual("meanSquaredError: target", prediction.shape(), target.shape());
        Tensor p = prediction.value();
        Tensor t = target.value();
        int n = p.size();
        if (n == 0) {
            throw new ShapeException("meanSquaredError: empty prediction " + Shape.toString(p.shape()));
        }
        int[] s = p.shape();
        int features = s.length == 0 ? 1 : s[s.length - 1];
        int rows = n / features;
        float[] w = rowWeights("meanSquaredError", weights, rows);
        float[] diff = new float[n];
        double total = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            weightSum += w[r];
            for (int f = 0; f < features; f++) {
                int i = r * features + f;
                diff[i] = w[r] * (p.data()[p.offset() + i] - t.data()[t.offset() + i]);
                total += (double) diff[i] * (p.data()[p.offset() + i] - t.data()[t.offset() + i]);
            }
        }
        double count = weightSum * features;
        Tensor loss = Tensor.scalar((float) (total / count));
        return Autograd.record("meanSquaredError", loss, dy -> {
            float g = (float) (2.0 * dy.data()[dy.offset()] / count);
            if (prediction.requiresGrad()) {
                Tensor dp = prediction.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, g, diff, 0, dp.data(), dp.offset());
            }
            if (target.requiresGrad()) {
                Tensor dt = target.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, -g, diff, 0, dt.data(), dt.offset());
            }
        }, prediction, target);
    }

    /**
     * Mean absolute error {@code Σ_r w_r Σ_f |p − t| / (features · Σ_r w_r)}, weighted by rows as
     * {@link #meanSquaredError(Variable, Variable, float[])}: the loss whose minimum is the median,
     * less pulled by outliers than the squared error. Its gradient is {@code sign(p − t)} (0 where
     * they are equal).
     */
    public static Variable meanAbsoluteError(Variable prediction, Variable target, float[] weights) {
        Shape.requireEqual("meanAbsoluteError: target", prediction.shape(), target.shape());
        Tensor p = prediction.value();
        Tensor t = target.value();
        int n = p.size();
        if (n == 0) {
            throw new ShapeException("meanAbsoluteError: empty prediction " + Shape.toString(p.shape()));
        }
        int[] s = p.shape();
        int features = s.length == 0 ? 1 : s[s.length - 1];
        int rows = n / features;
        float[] w = rowWeights("meanAbsoluteError", weights, rows);
        float[] sign = new float[n];
        double total = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            weightSum += w[r];
            for (int f = 0; f < features; f++) {
                int i = r * features + f;
                double d = p.data()[p.offset() + i] - t.data()[t.offset() + i];
                total += w[r] * Math.abs(d);
                sign[i] = d > 0 ? w[r] : d < 0 ? -w[r] : 0f;
            }
        }
        double count = weightSum * features;
        Tensor loss = Tensor.scalar((float) (total / count));
        return Autograd.record("meanAbsoluteError", loss, dy -> {
            float g = (float) (dy.data()[dy.offset()] / count);
            if (prediction.requiresGrad()) {
                Tensor dp = prediction.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, g, sign, 0, dp.data(), dp.offset());
            }
            if (target.requiresGrad()) {
                Tensor dt = target.gradForAccumulation();
                dev.unroll.kernel.Kernels.provider().axpy(n, -g, sign, 0, dt.data(), dt.offset());
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
