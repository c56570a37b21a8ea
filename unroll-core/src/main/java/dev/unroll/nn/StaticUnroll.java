package dev.unroll.nn;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Static unrolling (seed §5, TensorFlow's {@code static_rnn}): one copy of the cell per step over a
 * list of per-step inputs, each step an ordinary chain of autograd operations. Numerically the same
 * as the fused {@link RecurrentCell#forwardSequence}, which is faster and keeps less memory; this
 * form is the reference, and the way to write a custom loop (see {@link RecurrentCell#step}).
 *
 * <p>With sequence lengths, instance b stops at step {@code lengths[b]}: its later outputs are zero
 * and its state is carried unchanged, written as
 * {@code state' = state + m ⊙ (new − state)}, {@code output = m ⊙ new} with the 0/1 mask
 * {@code m = [t < length]}, so no gradient flows from padding.
 */
public final class StaticUnroll {
    private StaticUnroll() {
    }

    /** Per-step outputs and the final state. */
    public record Result(List<Variable> outputs, State finalState) {
    }

    /**
     * Runs {@code cell} over {@code inputs} ({@code [batch, features]} each).
     *
     * @param lengths per-instance lengths in [1, steps], or null
     * @param initial initial state, or null for zeros
     */
    public static Result run(RecurrentCell cell, List<Variable> inputs, int[] lengths, State initial) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("static unroll: no time steps given");
        }
        int batch = inputs.get(0).dim(0);
        for (int t = 1; t < inputs.size(); t++) {
            if (inputs.get(t).dim(0) != batch) {
                throw new ShapeException("static unroll: step " + t + " has shape " + Shape.toString(inputs.get(t).shape())
                        + ", expected batch " + batch + " like step 0");
            }
        }
        SequenceLengths.validate(lengths, batch, inputs.size());
        State state = initial != null ? initial : cell.zeroState(batch);
        List<Variable> outputs = new ArrayList<>(inputs.size());
        for (int t = 0; t < inputs.size(); t++) {
            Step step = cell.step(inputs.get(t), state);
            if (lengths == null) {
                outputs.add(step.output());
                state = step.state();
                continue;
            }
            Variable mask = Variable.constant(stepMask(lengths, t));
            outputs.add(step.output().mul(mask));
            Variable h = blend(state.h(), step.state().h(), mask);
            Variable c = state.hasCell() ? blend(state.c(), step.state().c(), mask) : null;
            state = new State(h, c);
        }
        return new Result(outputs, state);
    }

    /**
     * The seed's §6 route for a packed {@code [batch, time, features]} tensor: unstack the steps,
     * unroll statically, stack the outputs back to {@code [batch, time, units]}.
     */
    public static SequenceResult runPacked(RecurrentCell cell, Variable x, int[] lengths, State initial) {
        Shape.requireRank("static unroll input", x.shape(), 3, "[batch, time, features]");
        Result r = run(cell, x.unstack(1), lengths, initial);
        return new SequenceResult(ShapeOps.stack(1, r.outputs()), r.finalState());
    }

    /** {@code [batch, 1]}: 1 where step t is within the instance's length, else 0. */
    private static Tensor stepMask(int[] lengths, int t) {
        Tensor m = Tensor.zeros(lengths.length, 1);
        for (int b = 0; b < lengths.length; b++) {
            m.data()[b] = t < lengths[b] ? 1f : 0f;
        }
        return m;
    }

    private static Variable blend(Variable old, Variable updated, Variable mask) {
        return old.add(updated.sub(old).mul(mask));
    }
}
