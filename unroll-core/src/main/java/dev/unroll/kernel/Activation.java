package dev.unroll.kernel;

/**
 * Element-wise activation functions. Each derivative is expressed through the activation's
 * <em>output</em> y, which is what a recurrent layer keeps for backpropagation:
 *
 * <pre>
 *   TANH      y = tanh(x)             dy/dx = 1 − y²
 *   SIGMOID   y = 1 / (1 + e^−x)      dy/dx = y·(1 − y)
 *   RELU      y = max(0, x)           dy/dx = 1 if y &gt; 0 else 0
 *   IDENTITY  y = x                   dy/dx = 1
 * </pre>
 */
public enum Activation {
    TANH,
    SIGMOID,
    RELU,
    IDENTITY;

    /** Parses {@code "tanh"}, {@code "relu"}, ... (case-insensitive), with an error listing the choices. */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of tanh, sigmoid, relu, identity");
    }

    /** Lower-case name, as used in configurations and PyTorch's {@code nonlinearity}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
