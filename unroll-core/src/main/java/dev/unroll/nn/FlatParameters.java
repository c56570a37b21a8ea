package dev.unroll.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters laid end to end in one value array and one gradient array (DESIGN
 * principle 3): an optimizer update, a global gradient norm or a NaN check is one loop over
 * {@link #values()} and {@link #grads()}, and {@link #slices()} says which range belongs to which
 * named parameter.
 */
public final class FlatParameters {
    /** One parameter's range in the flat arrays. */
    public record Slice(String name, Parameter parameter, int offset, int size) {
    }

    private final float[] values;
    private final float[] grads;
    private final List<Slice> slices;

    private FlatParameters(float[] values, float[] grads, List<Slice> slices) {
        this.values = values;
        this.grads = grads;
        this.slices = slices;
    }

    static FlatParameters bind(Map<String, Parameter> named) {
        long total = 0;
        for (Parameter p : named.values()) {
            total += p.size();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model has " + total + " parameters, more than one array can hold");
        }
        float[] values = new float[(int) total];
        float[] grads = new float[(int) total];
        List<Slice> slices = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Parameter p = e.getValue();
            p.bindTo(values, grads, offset);
            slices.add(new Slice(e.getKey(), p, offset, p.size()));
            offset += p.size();
        }
        return new FlatParameters(values, grads, List.copyOf(slices));
    }

    public float[] values() {
        return values;
    }

    public float[] grads() {
        return grads;
    }

    public List<Slice> slices() {
        return slices;
    }

    public int size() {
        return values.length;
    }

    /** The named parameter whose range holds flat index {@code i}. */
    public Slice sliceAt(int i) {
        for (Slice s : slices) {
            if (i >= s.offset() && i < s.offset() + s.size()) {
                return s;
            }
        }
        throw new IndexOutOfBoundsException("flat index " + i + " outside " + values.length + " parameters");
    }

    /** Parameters by name. */
    public Map<String, Parameter> byName() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Slice s : slices) {
            m.put(s.name(), s.parameter());
        }
        return m;
    }
}
