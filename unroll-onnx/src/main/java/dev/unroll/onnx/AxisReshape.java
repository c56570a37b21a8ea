package dev.unroll.onnx;

import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.onnx.Value.Int;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code Reshape} does to the meaning of the axes. A reshape may keep axes as they are,
 * drop or insert axes of size 1, and join a group (directions, or a stack of states) with the
 * features that follow it — a node's outputs {@code [.., D, H]} become {@code [.., D·H]}, forward
 * features then backward ones, Unroll's order. Anything else (splitting features, joining batch and
 * time, ...) would change what the data means to the layers after it, and is an error.
 *
 * <p>The target dimensions may be numbers, 0 (copy the input's dimension), −1 (whatever is left),
 * or the batch or time size computed from a {@code Shape}. The axes are matched to the targets
 * left to right; each target takes zero, one or two input axes (memoized, so the search is linear
 * in the ranks).
 */
final class AxisReshape {
    private AxisReshape() {
    }

    static List<Axis> apply(OnnxNode node, List<Axis> in, List<Int> target, boolean allowZero) throws OnnxException {
        List<Int> dims = new ArrayList<>();
        int wildcards = 0;
        for (int j = 0; j < target.size(); j++) {
            Int t = target.get(j);
            if (t.symbol() == null && t.value() == 0 && !allowZero) {
                if (j >= in.size()) {
                    throw fail(node, "copies dimension " + j + " (a 0 in the shape) of a value of rank " + in.size());
                }
                dims.add(Int.sizeOf(in.get(j)));
            } else if (t.symbol() == null && t.value() == -1) {
                wildcards++;
                dims.add(t);
            } else if (t.symbol() == null && t.value() < 1) {
                throw fail(node, "reshapes to a dimension of " + t.value());
            } else {
                dims.add(t);
            }
        }
        if (wildcards > 1 || dims.size() > Axis.MAX_RANK) {
            throw fail(node, "the shape " + target + " has more than one -1 or more than " + Axis.MAX_RANK + " dimensions");
        }
        List<Axis> out = new Matcher(in, dims).match(0, 0);
        if (out == null) {
            throw fail(node, "reshapes data with axes " + Axis.describe(in) + " to " + target
                    + ", which does not keep what its axes mean (only size-1 axes and a group followed by its features may be joined)");
        }
        return List.copyOf(out);
    }

    /** Partitions the input axes into one run per target dimension. */
    private static final class Matcher {
        private final List<Axis> in;
        private final List<Int> dims;
        private final boolean[][] failed;

        Matcher(List<Axis> in, List<Int> dims) {
            this.in = in;
            this.dims = dims;
            this.failed = new boolean[in.size() + 1][dims.size() + 1];
        }

        /** The axes for targets {@code j..} from input axes {@code i..}, or null. */
        List<Axis> match(int i, int j) {
            if (j == dims.size()) {
                return i == in.size() ? new ArrayList<>() : null;
            }
            if (failed[i][j]) {
                return null;
            }
            for (int take : new int[] {1, 2, 0}) {
                if (i + take > in.size()) {
                    continue;
                }
                Axis a = join(in.subList(i, i + take), dims.get(j));
                if (a != null) {
                    List<Axis> rest = match(i + take, j + 1);
                    if (rest != null) {
                        rest.add(0, a);
                        return rest;
                    }
                }
            }
            failed[i][j] = true;
            return null;
        }

        /** The axis that {@code axes} joined into a dimension {@code dim} is, or null if that changes their meaning. */
        private static Axis join(List<Axis> axes, Int dim) {
            boolean wildcard = dim.symbol() == null && dim.value() == -1;
            if (axes.isEmpty()) {
                return wildcard || dim.symbol() == null && dim.value() == 1 ? Axis.group(1) : null;
            }
            if (axes.size() == 1) {
                return wildcard || dim.isSizeOf(axes.get(0)) ? axes.get(0) : null;
            }
            Axis a = axes.get(0);
            Axis b = axes.get(1);
            if (a.kind() == Axis.Kind.GROUP && b.kind() == Axis.Kind.FEATURES) {
                Axis joined = Axis.features(a.size() * b.size());
                return wildcard || dim.isSizeOf(joined) ? joined : null;
            }
            if (a.isUnit()) {
                return join(List.of(b), dim);
            }
            return b.isUnit() ? join(List.of(a), dim) : null;
        }
    }
}
