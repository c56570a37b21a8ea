package dev.unroll.nn;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Recurrent} layer returns.
 *
 * @param outputs     {@code [batch, time, D·H]}: the last layer's output at every step, both
 *                    directions concatenated along features, zero past each instance's length
 * @param finalStates every layer's final state (seed §15), per direction, in PyTorch's order
 *                    (l0, l0_reverse, l1, ...)
 * @param directions  1 or 2
 */
public record RecurrentOutput(Variable outputs, List<State> finalStates, int directions) {

    /**
     * The last layer's final {@code h}, directions concatenated: {@code [batch, D·H]} — what a
     * sequence classifier feeds to its dense layer (seed §10: {@code states} of the top layer).
     */
    public Variable lastHidden() {
        int first = finalStates.size() - directions;
        if (directions == 1) {
            return finalStates.get(first).h();
        }
        List<Variable> parts = new ArrayList<>(directions);
        for (int d = 0; d < directions; d++) {
            parts.add(finalStates.get(first + d).h());
        }
        return ShapeOps.concat(1, parts);
    }
}
