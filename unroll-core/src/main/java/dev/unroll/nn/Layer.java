package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import java.util.Map;

/**
 * A module with one input and one output, the unit of a {@link Sequential} model. Each layer
 * describes itself by a kind and a JSON-friendly configuration, so a checkpoint can rebuild it
 * (see {@link Layers#fromConfig}).
 */
public abstract class Layer extends Module {

    /** Applies the layer. */
    public abstract Variable forward(Variable x, Context context);

    /** The layer kind, e.g. {@code "recurrent"}, {@code "dense"}. */
    public abstract String kind();

    /** Everything needed to rebuild the layer (without its parameter values). */
    public abstract Map<String, Object> config();
}
