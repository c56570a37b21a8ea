package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several models of one architecture, trained apart (other seeds), whose outputs are averaged: the
 * ensemble's forecast is the mean of its members'. Averaging models that err differently lowers
 * the variance a single network trained on little data has (N-BEATS and the M4 winners ensemble
 * for this reason). Members are named {@code m0, m1, ...}, so their parameters are
 * {@code m0.rnn.weight_ih_l0}, ...
 */
public final class Ensemble extends Layer {
    private final List<Sequential> members;

    public Ensemble(List<Sequential> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        String config = members.get(0).config().toString();
        for (int i = 0; i < members.size(); i++) {
            if (!members.get(i).config().toString().equals(config)) {
                throw new IllegalArgumentException("ensemble members must share one architecture: member " + i + " is " + members.get(i)
                        + ", member 0 " + members.get(0));
            }
            addModule("m" + i, members.get(i));
        }
        this.members = List.copyOf(members);
    }

    public List<Sequential> members() {
        return members;
    }

    /** The mean of the members' outputs. */
    @Override
    public Variable forward(Variable x, Context context) {
        Variable sum = null;
        for (Sequential m : members) {
            Variable y = m.forward(x, context);
            sum = sum == null ? y : sum.add(y);
        }
        return members.size() == 1 ? sum : sum.scale(1f / members.size());
    }

    /** Inference on sequences of the given lengths (or null), without recording gradients. */
    public Tensor predict(Tensor x, int[] lengths) {
        try (var scope = Autograd.noGrad()) {
            return forward(Variable.constant(x), Context.inference(lengths)).value();
        }
    }

    @Override
    public String kind() {
        return "ensemble";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("members", members.size());
        c.put("member", members.get(0).config());
        return c;
    }

    static Ensemble fromConfig(Map<String, Object> c) {
        Configs.requireKnownKeys("ensemble", c, List.of("members", "member"));
        int n = Configs.positive(c, "members");
        if (n > 1000) {
            throw new IllegalArgumentException("ensemble of " + n + " members: at most 1000");
        }
        List<Sequential> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(Sequential.fromConfig(Configs.object(c, "member")));
        }
        return new Ensemble(members);
    }

    /** The members' parameters, each as one member's. */
    static long parameterCount(Map<String, Object> c) {
        Configs.requireKnownKeys("ensemble", c, List.of("members", "member"));
        return Configs.count(Configs.positive(c, "members"), Sequential.parameterCount(Configs.object(c, "member")), 0);
    }

    @Override
    public String toString() {
        return "ensemble(" + members.size() + " × " + members.get(0) + ")";
    }
}
