package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recurrent states carried from one forward pass to the next (stateful models): each
 * {@link Recurrent} layer starts from the states it left here last time and stores its new final
 * states. Used by truncated backpropagation through time (the state flows across windows, the
 * gradient does not: {@link #detach()}) and by stateful generation.
 */
public final class StateCarry {
    private final Map<Recurrent, List<State>> states = new IdentityHashMap<>();

    /** The states the layer left, or null on its first pass (zeros). */
    public List<State> get(Recurrent layer) {
        return states.get(layer);
    }

    /** Stores the layer's final states for its next pass. */
    public void put(Recurrent layer, List<State> finals) {
        states.put(layer, List.copyOf(finals));
    }

    /** Keeps the values but cuts the autograd graph, so the next backward pass stops here. */
    public void detach() {
        for (Map.Entry<Recurrent, List<State>> e : states.entrySet()) {
            List<State> cut = new ArrayList<>(e.getValue().size());
            for (State s : e.getValue()) {
                cut.add(new State(s.h().detach(), s.c() == null ? null : s.c().detach()));
            }
            e.setValue(cut);
        }
    }

    /** Forgets every state (the next pass starts from zeros). */
    public void clear() {
        states.clear();
    }

    /** True when no layer has stored a state. */
    public boolean isEmpty() {
        return states.isEmpty();
    }

    /** Detached copy of one layer's h values (for inspection and tests). */
    public List<Variable> hiddenStates(Recurrent layer) {
        List<Variable> hs = new ArrayList<>();
        for (State s : states.getOrDefault(layer, List.of())) {
            hs.add(s.h().detach());
        }
        return hs;
    }
}
