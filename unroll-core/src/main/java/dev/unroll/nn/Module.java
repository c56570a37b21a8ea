package dev.unroll.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Something with trainable parameters, possibly made of other modules (PyTorch's
 * {@code nn.Module}). Parameters get dotted names from the module tree — {@code rnn.weight_ih_l0},
 * {@code fc.bias} — which are the names in checkpoints, as in a PyTorch {@code state_dict}.
 *
 * <p>A model's parameters can be {@linkplain #flatParameters() moved into one flat buffer} (values
 * and gradients), which is what optimizers, gradient clipping and checkpoints work on.
 */
public abstract class Module {
    private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private FlatParameters flat;

    /** Registers a parameter of this module under its own name. */
    protected final Parameter addParameter(Parameter p) {
        if (ownParameters.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException("duplicate parameter name '" + p.name() + "' in " + getClass().getSimpleName());
        }
        return p;
    }

    /** Registers a child module; its parameters are named {@code name.<its names>}. */
    protected final <M extends Module> M addModule(String name, M child) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module name must be non-empty and without '.', got '" + name + "'");
        }
        if (children.putIfAbsent(name, child) != null) {
            throw new IllegalArgumentException("duplicate module name '" + name + "' in " + getClass().getSimpleName());
        }
        return child;
    }

    /** Child modules by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter with its full dotted name, own parameters first, then each child's in order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(ownParameters);
        for (Map.Entry<String, Module> c : children.entrySet()) {
            for (Map.Entry<String, Parameter> p : c.getValue().namedParameters().entrySet()) {
                all.put(c.getKey() + "." + p.getKey(), p.getValue());
            }
        }
        return all;
    }

    /** Every parameter, in {@link #namedParameters()} order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Total number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Sets every parameter's gradient to zero. */
    public final void zeroGrad() {
        if (flat != null) {
            java.util.Arrays.fill(flat.grads(), 0f);
            return;
        }
        for (Parameter p : parameters()) {
            p.grad().fill(0f);
        }
    }

    /**
     * All parameters in one value array and one gradient array (moved there on the first call;
     * later calls return the same buffer). Call it after the module tree is complete.
     */
    public final FlatParameters flatParameters() {
        if (flat == null) {
            flat = FlatParameters.bind(namedParameters());
        }
        return flat;
    }
}
