package dev.unroll.onnx;

import dev.unroll.kernel.Activation;

/**
 * Unroll's activations under their ONNX names: the element-wise operators {@code Tanh},
 * {@code Relu}, {@code Sigmoid}, and, as the {@code activations} attribute of an {@code RNN} node,
 * the same names plus {@code Affine} (α·x + β, with α = 1, β = 0 for the identity).
 */
final class RnnActivations {
    private RnnActivations() {
    }

    /** The ONNX name of an activation ({@code Affine} for the identity). */
    static String onnxName(Activation a) {
        return switch (a) {
            case TANH -> "Tanh";
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case IDENTITY -> "Affine";
        };
    }

    /** The activation an element-wise operator applies, or null if it is not one of Unroll's. */
    static Activation ofOperator(String opType) {
        return switch (opType) {
            case "Tanh" -> Activation.TANH;
            case "Relu" -> Activation.RELU;
            case "Sigmoid" -> Activation.SIGMOID;
            default -> null;
        };
    }
}
