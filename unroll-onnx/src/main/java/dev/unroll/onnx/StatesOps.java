package dev.unroll.onnx;

import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.onnx.Value.Data;
import dev.unroll.onnx.Value.StateRef;
import dev.unroll.onnx.Value.States;
import java.util.ArrayList;
import java.util.List;

/**
 * The operators on final states ({@link States}) that exporters emit to turn a recurrent node's
 * {@code Y_h [D, batch, H]} — or PyTorch's {@code h_n}, every layer's {@code Y_h} concatenated — into
 * a classifier's input {@code [batch, D·H]}: picking entries of the stack ({@code Gather},
 * {@code Slice}, {@code Squeeze}), stacking ({@code Concat} on the stack axis) and joining them
 * along the features ({@code Concat} on the last axis, or {@code Transpose} + {@code Reshape}).
 * When the joined entries are exactly one node's directions, forward then backward, they are
 * Unroll's final-state output, and become the model's data again.
 */
final class StatesOps {
    private StatesOps() {
    }

    /** The position of the stack axis, or -1 when the entries are joined along the features. */
    static int stackAxis(States s) {
        for (int i = 0; i < s.axes().size(); i++) {
            if (s.axes().get(i).kind() == Axis.Kind.GROUP) {
                return i;
            }
        }
        return -1;
    }

    /** The data the states are when they are one node's directions joined in order; otherwise the states as they are. */
    static Value normalize(States s) {
        if (stackAxis(s) >= 0) {
            return s;
        }
        Value.NodeStates node = s.entries().get(0).node();
        boolean complete = s.entries().size() == node.directions();
        for (int d = 0; complete && d < s.entries().size(); d++) {
            StateRef r = s.entries().get(d);
            complete = r.node() == node && r.direction() == d;
        }
        return complete ? new Data(s.axes(), node.finalChain()) : s;
    }

    static Value gather(OnnxNode node, States s, int axis, long[] indices, boolean scalar) throws OnnxException {
        int stack = requireStack(node, s, axis);
        List<StateRef> picked = new ArrayList<>();
        for (long index : indices) {
            picked.add(s.entries().get(GlueNodes.position(node, index, s.entries().size())));
        }
        if (picked.isEmpty()) {
            throw fail(node, "picks no final states");
        }
        List<Axis> axes = new ArrayList<>(s.axes());
        if (scalar) {
            axes.remove(stack);
        } else {
            axes.set(stack, Axis.group(picked.size()));
        }
        return normalize(new States(List.copyOf(axes), List.copyOf(picked)));
    }

    static Value slice(OnnxNode node, States s, int axis, long start, long end) throws OnnxException {
        int stack = requireStack(node, s, axis);
        int n = s.entries().size();
        int from = (int) Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int to = (int) Math.max(from, Math.min(n, end < 0 ? end + n : end));
        if (to == from) {
            throw fail(node, "slices no final states out of " + n);
        }
        List<Axis> axes = new ArrayList<>(s.axes());
        axes.set(stack, Axis.group(to - from));
        return new States(List.copyOf(axes), List.copyOf(s.entries().subList(from, to)));
    }

    static Value unsqueeze(OnnxNode node, States s, long[] positions) throws OnnxException {
        if (stackAxis(s) >= 0 || s.entries().size() != 1 || positions.length != 1) {
            throw fail(node, "adds an axis to final states that are already stacked or joined");
        }
        return new States(List.copyOf(Axis.insert(s.axes(), positions, Axis.group(1), node.describe())), s.entries());
    }

    /** Stacks states along their stack axis, or joins unstacked ones along the features. */
    static Value concat(OnnxNode node, List<States> parts, long axisAttribute) throws OnnxException {
        int rank = parts.get(0).axes().size();
        int axis = Axis.resolve(axisAttribute, rank, node.describe());
        boolean stacking = stackAxis(parts.get(0)) == axis;
        boolean joining = stackAxis(parts.get(0)) < 0 && axis == rank - 1;
        if (!stacking && !joining) {
            throw fail(node, "concatenates final states along axis " + axisAttribute + ", which is neither their stack nor their features");
        }
        List<StateRef> entries = new ArrayList<>();
        long size = 0;
        for (States p : parts) {
            if (p.axes().size() != rank || stackAxis(p) != stackAxis(parts.get(0))) {
                throw fail(node, "concatenates final states of different layouts");
            }
            for (int k = 0; k < rank; k++) {
                if (k != axis && !p.axes().get(k).equals(parts.get(0).axes().get(k))) {
                    throw fail(node, "concatenates final states whose axis " + k + " differs");
                }
            }
            entries.addAll(p.entries());
            size += p.axes().get(axis).size();
        }
        List<Axis> axes = new ArrayList<>(parts.get(0).axes());
        axes.set(axis, new Axis(axes.get(axis).kind(), size));
        return normalize(new States(List.copyOf(axes), List.copyOf(entries)));
    }

    private static int requireStack(OnnxNode node, States s, int axis) throws OnnxException {
        int stack = stackAxis(s);
        if (axis != stack) {
            throw fail(node, "picks along axis " + axis + " of final states; Unroll picks whole states from their stack (axis " + stack + ")");
        }
        return stack;
    }
}
