package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dropout as a layer of a model (see {@link Dropout}): active only in training. */
public final class DropoutLayer extends Layer {
    private final float rate;

    public DropoutLayer(float rate) {
        this.rate = Dropout.checkRate("dropout layer", rate);
    }

    public float rate() {
        return rate;
    }

    @Override
    public Variable forward(Variable x, Context context) {
        if (context.training() && rate > 0f && context.rng() == null) {
            throw new IllegalArgumentException("dropout layer: training needs a seeded Rng in the context");
        }
        return Dropout.apply(x, rate, context.training(), context.rng());
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", (double) rate);
        return c;
    }

    @Override
    public String toString() {
        return "dropout(" + rate + ")";
    }
}
