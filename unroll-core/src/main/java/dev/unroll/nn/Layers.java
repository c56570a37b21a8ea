package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import java.util.Map;

/** Rebuilds layers from their kind and configuration (the inverse of {@link Layer#config()}). */
public final class Layers {
    private Layers() {
    }

    /**
     * A layer of the given kind with freshly initialized parameters (a checkpoint then loads the
     * saved values into it).
     */
    @SuppressWarnings("unchecked")
    public static Layer fromConfig(String kind, Map<String, Object> config) {
        return switch (kind) {
            case "recurrent" -> Recurrent.fromConfig(config);
            case "dense" -> new Dense(Configs.integer(config, "input_size"), Configs.integer(config, "output_size"),
                    Activation.parse(Configs.string(config, "activation")), new Rng(0));
            case "dropout" -> new DropoutLayer((float) Configs.number(config, "rate"));
            case "layer_norm" -> LayerNormalization.fromConfig(config);
            case "sequential" -> Sequential.fromConfig(config);
            default -> throw new IllegalArgumentException("unknown layer kind '" + kind
                    + "'; expected one of recurrent, dense, dropout, layer_norm, sequential");
        };
    }
}
