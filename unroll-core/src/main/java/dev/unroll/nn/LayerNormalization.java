package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer normalization (Ba, Kiros &amp; Hinton 2016), the normalization remedy of seed §17 for
 * recurrent networks: each step's feature vector is shifted and scaled to zero mean and unit
 * variance over its features, then multiplied by a learned gain and shifted by a learned bias, per
 * feature. PyTorch's {@code nn.LayerNorm(features)}, with its parameter names and defaults:
 *
 * <pre>
 *   x [..., F]     weight γ [F] (starts at 1)     bias β [F] (starts at 0)     ε = 1e-5
 *   μ = (1/F) Σ_j x_j      σ² = (1/F) Σ_j (x_j − μ)²      r = 1 / √(σ² + ε)
 *   x̂_j = (x_j − μ)·r      y_j = γ_j·x̂_j + β_j
 *
 *   backward (per row)  dβ += dy      dγ += dy ⊙ x̂      g = dy ⊙ γ
 *                       dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂))
 * </pre>
 *
 * <p>Batch normalization, which the seed names, normalizes each feature over the batch and so
 * needs batch statistics that differ between training and inference and from one time step to
 * the next; layer normalization uses only the row itself, so it behaves the same at every step,
 * in training and inference, at any batch size. What it buys: the layer after it sees inputs of a
 * fixed scale whatever the scale of the data or of the layer before ({@code y(a·x + b) = y(x)} for
 * any {@code a > 0}).
 *
 * <p>On {@code [batch, time, F]} sequences with lengths, the steps past an instance's length output
 * zeros and receive no gradient, as the outputs of recurrent layers do.
 */
public final class LayerNormalization extends Layer {
    /** PyTorch's default ε. */
    public static final float DEFAULT_EPS = 1e-5f;

    private final int features;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** Normalization over the last axis of size {@code features}, ε = 1e-5. */
    public LayerNormalization(int features) {
        this(features, DEFAULT_EPS);
    }

    public LayerNormalization(int features, float eps) {
        if (features <= 0) {
            throw new IllegalArgumentException("layer normalization: features must be positive, got " + features);
        }
        if (!(eps > 0f)) {
            throw new IllegalArgumentException("layer normalization: eps must be positive, got " + eps);
        }
        this.features = features;
        this.eps = eps;
        this.weight = addParameter(new Parameter("weight", Tensor.ones(features)));
        this.bias = addParameter(new Parameter("bias", Tensor.zeros(features)));
    }

    public int features() {
        return features;
    }

    public float eps() {
        return eps;
    }

    /** The gain γ {@code [features]}. */
    public Parameter weight() {
        return weight;
    }

    /** The shift β {@code [features]}. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x, Context context) {
        int[] s = x.shape();
        if (s.length < 1 || s[s.length - 1] != features) {
            throw new ShapeException("layer normalization: expected " + features + " features on the last axis, got shape "
                    + Shape.toString(s));
        }
        int[] lengths = context.lengths();
        if (lengths != null && s.length == 3) {
            SequenceLengths.validate(lengths, s[0], s[1]);
        } else {
            lengths = null;
        }
        return normalize(x, weight.variable(), bias.variable(), lengths);
    }

    /**
     * One row: {@code out = gain ⊙ (x − mean) / √(var + eps) + bias}; the normalized values go to
     * {@code normalized} too unless it is null. Returns 1/√(var + eps).
     */
    float normalizeRow(float[] in, int inOff, float[] out, int outOff, float[] normalized, int normalizedOff) {
        float[] g = weight.value().data();
        float[] b = bias.value().data();
        int go = weight.value().offset();
        int bo = bias.value().offset();
        double sum = 0;
        for (int j = 0; j < features; j++) {
            sum += in[inOff + j];
        }
        double mean = sum / features;
        double squares = 0;
        for (int j = 0; j < features; j++) {
            double d = in[inOff + j] - mean;
            squares += d * d;
        }
        float rstd = (float) (1.0 / Math.sqrt(squares / features + eps));
        for (int j = 0; j < features; j++) {
            float h = (float) ((in[inOff + j] - mean) * rstd);
            if (normalized != null) {
                normalized[normalizedOff + j] = h;
            }
            out[outOff + j] = g[go + j] * h + b[bo + j];
        }
        return rstd;
    }

    /** The forward pass as one operation; rows past a length (when lengths are given) are left at zero. */
    private Variable normalize(Variable x, Variable gain, Variable shift, int[] lengths) {
        Tensor xv = x.value();
        int rows = xv.size() / features;
        int steps = lengths == null ? 1 : xv.dim(1);
        boolean[] valid = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            valid[r] = lengths == null || r % steps < lengths[r / steps];
        }
        float[] in = xv.data();
        float[] normalized = new float[rows * features];
        float[] inverseStd = new float[rows];
        Tensor y = Tensor.zeros(xv.shape());
        float[] out = y.data();
        for (int r = 0; r < rows; r++) {
            if (valid[r]) {
                inverseStd[r] = normalizeRow(in, xv.offset() + r * features, out, r * features, normalized, r * features);
            }
        }
        return Autograd.record("layerNorm", y, dy -> backward(dy, x, gain, shift, valid, normalized, inverseStd), x, gain, shift);
    }

    private void backward(Tensor dy, Variable x, Variable gain, Variable shift, boolean[] valid, float[] normalized, float[] inverseStd) {
        float[] d = dy.data();
        int dOff = dy.offset();
        float[] g = gain.value().data();
        int go = gain.value().offset();
        Tensor dGain = gain.requiresGrad() ? gain.gradForAccumulation() : null;
        Tensor dShift = shift.requiresGrad() ? shift.gradForAccumulation() : null;
        Tensor dx = x.requiresGrad() ? x.gradForAccumulation() : null;
        float[] scaled = new float[features];
        for (int r = 0; r < valid.length; r++) {
            if (!valid[r]) {
                continue;
            }
            int row = r * features;
            double meanScaled = 0;
            double meanScaledTimesNormalized = 0;
            for (int j = 0; j < features; j++) {
                float dyj = d[dOff + row + j];
                float h = normalized[row + j];
                if (dShift != null) {
                    dShift.data()[dShift.offset() + j] += dyj;
                }
                if (dGain != null) {
                    dGain.data()[dGain.offset() + j] += dyj * h;
                }
                scaled[j] = dyj * g[go + j];
                meanScaled += scaled[j];
                meanScaledTimesNormalized += scaled[j] * h;
            }
            if (dx == null) {
                continue;
            }
            meanScaled /= features;
            meanScaledTimesNormalized /= features;
            float rstd = inverseStd[r];
            for (int j = 0; j < features; j++) {
                dx.data()[dx.offset() + row + j] +=
                        (float) (rstd * (scaled[j] - meanScaled - normalized[row + j] * meanScaledTimesNormalized));
            }
        }
    }

    @Override
    public String kind() {
        return "layer_norm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("features", features);
        c.put("eps", (double) eps);
        return c;
    }

    /** Weight and bias, one of each per feature. */
    static long parameterCount(Map<String, Object> c) {
        Configs.requireKnownKeys("layer_norm", c, List.of("features", "eps"));
        return 2L * Configs.positive(c, "features");
    }

    static LayerNormalization fromConfig(Map<String, Object> c) {
        Configs.requireKnownKeys("layer_norm", c, List.of("features", "eps"));
        return new LayerNormalization(Configs.integer(c, "features"), (float) Configs.number(c, "eps"));
    }

    @Override
    public String toString() {
        return "layer_norm(" + features + ")";
    }
}
