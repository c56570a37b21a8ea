package dev.unroll.nn;

import dev.unroll.autograd.Activations;
import dev.unroll.autograd.MatMul;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fully connected layer {@code y = φ(x·Wᵀ + b)} on the last axis (PyTorch's {@code nn.Linear},
 * plus an optional activation): {@code weight [out, in]}, {@code bias [out]}.
 *
 * <p>On a {@code [batch, time, in]} sequence it is applied at every step as one matrix product over
 * {@code batch·time} rows — seed §13's reshape–dense–reshape, and numerically the same as the
 * per-step {@code OutputProjectionWrapper} of §12.
 *
 * <p>Initialization by default as PyTorch: weight and bias from U(−1/√in, 1/√in).
 */
public final class Dense extends Layer {
    private final int inputSize;
    private final int outputSize;
    private final Activation activation;
    private final Parameter weight;
    private final Parameter bias;

    /** A linear layer (no activation). */
    public Dense(int inputSize, int outputSize, Rng rng) {
        this(inputSize, outputSize, Activation.IDENTITY, rng);
    }

    public Dense(int inputSize, int outputSize, Activation activation, Rng rng) {
        this(inputSize, outputSize, activation, null, null, rng);
    }

    /**
     * A layer with chosen initializers (null for PyTorch's default), e.g.
     * {@code Init.glorotUniform(), Init.zeros()} for TensorFlow's.
     */
    public Dense(int inputSize, int outputSize, Activation activation, Init weightInit, Init biasInit, Rng rng) {
        if (inputSize <= 0 || outputSize <= 0) {
            throw new IllegalArgumentException("dense: input and output sizes must be positive, got " + inputSize + " and " + outputSize);
        }
        Configs.requireHeapFor("dense(" + inputSize + " -> " + outputSize + ")", Configs.count(outputSize, inputSize + 1L, 0));
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.activation = activation;
        float bound = (float) (1.0 / Math.sqrt(inputSize));
        Init pytorch = Init.uniform(-bound, bound);
        Tensor w = Tensor.zeros(outputSize, inputSize);
        (weightInit != null ? weightInit : pytorch).fill(w, rng);
        Tensor b = Tensor.zeros(outputSize);
        (biasInit != null ? biasInit : pytorch).fill(b, rng);
        this.weight = addParameter(new Parameter("weight", w));
        this.bias = addParameter(new Parameter("bias", b));
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public Activation activation() {
        return activation;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x, Context context) {
        Variable y = MatMul.linear(x, weight.variable(), bias.variable());
        return activation == Activation.IDENTITY ? y : Activations.apply(activation, y);
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("input_size", inputSize);
        c.put("output_size", outputSize);
        c.put("activation", activation.id());
        return c;
    }

    @Override
    public String toString() {
        return "dense(" + inputSize + " -> " + outputSize + (activation == Activation.IDENTITY ? "" : ", " + activation.id()) + ")";
    }
}
