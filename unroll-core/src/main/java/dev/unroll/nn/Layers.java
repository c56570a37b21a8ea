package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Rebuilds layers from their kind and configuration (the inverse of {@link Layer#config()}), and
 * counts the parameters a configuration describes without building it — so that a checkpoint can
 * check a configuration against the values its file really holds before allocating anything.
 */
public final class Layers {
    /** Builder and parameter count of one layer kind. */
    private record Kind(Function<Map<String, Object>, Layer> build, ToLongFunction<Map<String, Object>> parameters) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("recurrent", new Kind(Recurrent::fromConfig, Recurrent::parameterCount));
        KINDS.put("dense", new Kind(Layers::dense, c -> {
            checkDenseKeys(c);
            return Configs.count(Configs.positive(c, "output_size"), Configs.positive(c, "input_size") + 1L, 0);
        }));
        KINDS.put("dropout", new Kind(c -> {
            Configs.requireKnownKeys("dropout", c, List.of("rate"));
            return new DropoutLayer((float) Configs.number(c, "rate"));
        }, c -> 0));
        KINDS.put("embedding", new Kind(Embedding::fromConfig, Embedding::parameterCount));
        KINDS.put("layer_norm", new Kind(LayerNormalization::fromConfig, LayerNormalization::parameterCount));
        KINDS.put("sequential", new Kind(Sequential::fromConfig, Sequential::parameterCount));
        KINDS.put("ensemble", new Kind(Ensemble::fromConfig, Ensemble::parameterCount));
    }

    private Layers() {
    }

    /**
     * A layer of the given kind with freshly initialized parameters (a checkpoint then loads the
     * saved values into it).
     */
    public static Layer fromConfig(String kind, Map<String, Object> config) {
        return kind(kind).build().apply(config);
    }

    /**
     * The number of parameters {@link #fromConfig} would allocate, computed from the configuration
     * alone ({@link Long#MAX_VALUE} when it overflows); also checks the configuration's keys.
     */
    public static long parameterCount(String kind, Map<String, Object> config) {
        return kind(kind).parameters().applyAsLong(config);
    }

    private static Kind kind(String kind) {
        Kind k = KINDS.get(kind);
        if (k == null) {
            throw new IllegalArgumentException("unknown layer kind '" + kind + "'; expected one of " + String.join(", ", KINDS.keySet()));
        }
        return k;
    }

    private static void checkDenseKeys(Map<String, Object> c) {
        Configs.requireKnownKeys("dense", c, List.of("input_size", "output_size", "activation"));
    }

    private static Layer dense(Map<String, Object> c) {
        checkDenseKeys(c);
        return new Dense(Configs.integer(c, "input_size"), Configs.integer(c, "output_size"),
                Activation.parse(Configs.string(c, "activation")), new Rng(0));
    }
}
