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
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[i] + " at row " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        Tensor z = logits.value();
        Tensor probs = Tensor.zeros(rows, classes);
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int row = z.offset() + i * classes;
            double lse = Softmax.logSumExp(classes, z.data(), row);
            total += lse - z.data()[row + labels[i]];
            for (int c = 0; c < classes; c++) {
                probs.data()[i * classes + c] = (float) Math.exp(z.data()[row + c] - lse);
            }
        }
        int[] labelsCopy = Arrays.copyOf(labels, rows);
        Tensor loss = Tensor.scalar((float) (total / rows));
        return Autograd.record("softmaxCrossEntropy", loss, dy -> {
            Tensor dz = logits.gradForAccumulation();
            float g = dy.data()[dy.offset()] / rows;
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < classes; c++) {
                    float p = probs.data()[i * classes + c] - (c == labelsCopy[i] ? 1f : 0f);
                    dz.data()[dz.offset() + i * classes + c] += g * p;
                }
            }
        }, logits);
    }

    /**
     * Mean squared error {@code (1/n) Σ (prediction − target)²} over all elements; the shapes must
     * be equal (no broadcasting, which would hide a misaligned target).
     */
    public static Variable meanSquaredError(Variable prediction, Variable target) {
        Shape.requireEqual("meanSquaredError: target", prediction.shape(), target.shape());
        Tensor p = prediction.value();
        Tensor t = target.value();
        int n = p.size();
        if (n == 0) {
            throw new ShapeException("meanSquaredError: empty prediction " + Shape.toString(p.shape()));
        }
        float[] diff = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            diff[i] = p.data()[p.offset() + i] - t.data()[t.offset() + i];
            total += (double) diff[i] * diff[i];
        }
        Tensor loss = Tensor.scalar((float) (total / n));
        return Autograd.record("meanSquaredError", loss, dy -> {
            float g = 2f * dy.data()[dy.offset()] / n;
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
}
