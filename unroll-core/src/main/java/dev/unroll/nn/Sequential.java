package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers applied one after the other. Each layer has a name that prefixes its parameters
 * ({@code rnn.weight_ih_l0}, {@code fc.weight}); unnamed layers are named after their kind
 * ({@code rnn}, {@code fc}, {@code norm}, {@code dropout}; then {@code fc1}, {@code fc2}, ... for repeats), so
 * {@code Sequential.of(recurrent, dense)} has PyTorch's names for a module with attributes
 * {@code rnn} and {@code fc}.
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * Sequential model = Sequential.of(
 *     Recurrent.builder(CellType.RNN, 28, 150).returnSequences(false).rng(rng).build(),
 *     new Dense(150, 10, rng));          // seed §10: the final state → 10 logits
 * }</pre>
 */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** A model of the given layers, auto-named. */
    public static Sequential of(Layer... layers) {
        Sequential s = new Sequential();
        for (Layer l : layers) {
            s.add(l);
        }
        return s;
    }

    /** Appends a layer named after its kind. */
    public Sequential add(Layer layer) {
        String base = switch (layer.kind()) {
            case "recurrent" -> "rnn";
            case "dense" -> "fc";
            case "layer_norm" -> "norm";
            default -> layer.kind();
        };
        String name = base;
        for (int i = 1; names.contains(name); i++) {
            name = base + i;
        }
        return add(name, layer);
    }

    /** Appends a named layer. */
    public Sequential add(String name, Layer layer) {
        addModule(name, layer);
        layers.add(layer);
        names.add(name);
        return this;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public Variable forward(Variable x, Context context) {
        Variable y = x;
        for (Layer l : layers) {
            y = l.forward(y, context);
        }
        return y;
    }

    /** Inference on full-length sequences, without recording gradients. */
    public Tensor predict(Tensor x) {
        return predict(x, null);
    }

    /** Inference on sequences of the given lengths (or null), without recording gradients. */
    public Tensor predict(Tensor x, int[] lengths) {
        try (var scope = Autograd.noGrad()) {
            return forward(Variable.constant(x), Context.inference(lengths)).value();
        }
    }

    @Override
    public String kind() {
        return "sequential";
    }

    @Override
    public Map<String, Object> config() {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", names.get(i));
            entry.put("kind", layers.get(i).kind());
            entry.put("config", layers.get(i).config());
            list.add(entry);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("layers", list);
        return c;
    }

    private static final List<String> ENTRY_KEYS = List.of("name", "kind", "config");

    static Sequential fromConfig(Map<String, Object> config) {
        Configs.requireKnownKeys("sequential", config, List.of("layers"));
        Sequential s = new Sequential();
        for (Map<String, Object> e : Configs.objects(config, "layers")) {
            Configs.requireKnownKeys("sequential layer", e, ENTRY_KEYS);
            s.add(Configs.string(e, "name"), Layers.fromConfig(Configs.string(e, "kind"), Configs.object(e, "config")));
        }
        return s;
    }

    /** The sum over its layers. */
    static long parameterCount(Map<String, Object> config) {
        Configs.requireKnownKeys("sequential", config, List.of("layers"));
        long total = 0;
        for (Map<String, Object> e : Configs.objects(config, "layers")) {
            Configs.requireKnownKeys("sequential layer", e, ENTRY_KEYS);
            total = Configs.sum(total, Layers.parameterCount(Configs.string(e, "kind"), Configs.object(e, "config")));
        }
        return total;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("sequential(");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(": ").append(layers.get(i));
        }
        return sb.append(")").toString();
    }
}
