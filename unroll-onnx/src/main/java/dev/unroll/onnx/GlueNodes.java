package dev.unroll.onnx;

import static dev.unroll.onnx.GraphInterpreter.describe;
import static dev.unroll.onnx.GraphInterpreter.ints;
import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.onnx.Value.Constant;
import dev.unroll.onnx.Value.Data;
import dev.unroll.onnx.Value.Int;
import dev.unroll.onnx.Value.Ints;
import dev.unroll.onnx.Value.Lengths;
import dev.unroll.onnx.Value.Mask;
import dev.unroll.onnx.Value.States;
import dev.unroll.onnx.Value.StepIndex;
import dev.unroll.onnx.Value.Unusable;
import dev.unroll.onnx.Value.Zeros;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The glue operators exporters put around the layers, run abstractly (see {@link Value}): they
 * compute shapes from the input's dimensions ({@code Shape}, {@code Gather}, {@code Concat},
 * {@code Unsqueeze}, {@code Slice}, {@code Cast}), zeros for initial states ({@code ConstantOfShape},
 * {@code Expand}), the mask of valid steps ({@code Range}, {@code Less}), or move the data's axes
 * ({@code Transpose}, {@code Reshape}, {@code Squeeze}, {@code Unsqueeze}, {@code Identity},
 * {@code Dropout} at inference). Each checks its inputs are what it can follow and fails naming
 * the node otherwise.
 */
final class GlueNodes {
    private GlueNodes() {
    }

    static Value constantNode(OnnxNode node) throws OnnxException {
        if (node.attributes().size() != 1) {
            throw fail(node, "a Constant node needs exactly one attribute, got " + node.attributes().size());
        }
        OnnxAttribute a = node.attributes().get(0);
        return new Constant(switch (a.name()) {
            case "value" -> {
                if (a.t() == null) {
                    throw fail(node, "attribute value holds no tensor");
                }
                yield a.t();
            }
            case "value_float" -> OnnxTensor.ofFloats("", new float[] {a.f()});
            case "value_floats" -> OnnxTensor.ofFloats("", a.floats(), a.floats().length);
            case "value_int" -> OnnxTensor.ofLongs("", new long[] {a.i()});
            case "value_ints" -> OnnxTensor.ofLongs("", a.ints(), a.ints().length);
            default -> throw fail(node, "a Constant given by attribute " + a.name() + " is not supported");
        });
    }

    static List<Value> dropout(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value training = g.optionalInput(node, 2);
        if (training != null) {
            Ints t = ints(training);
            if (t == null || t.values().size() != 1 || t.values().get(0).value() != 0) {
                throw fail(node, "training_mode must be a constant false: the importer reads inference graphs");
            }
        }
        return List.of(g.input(node, 0), new Unusable("the dropout mask of " + node.describe()));
    }

    static Value cast(OnnxNode node, GraphInterpreter g) throws OnnxException {
        OnnxTensor.DataType to = OnnxTensor.DataType.of((int) Nodes.intAttribute(node, "to", 0));
        Value v = g.input(node, 0);
        boolean toFloat = to == OnnxTensor.DataType.FLOAT;
        boolean toInt = to == OnnxTensor.DataType.INT64 || to == OnnxTensor.DataType.INT32;
        boolean integers = v instanceof Lengths || v instanceof Ints || v instanceof StepIndex
                || v instanceof Constant c && !c.tensor().isFloating();
        if (v instanceof Constant c && c.tensor().isFloating() && toFloat) {
            return new Constant(OnnxTensor.ofFloats(c.tensor().name(), c.tensor().floats(), c.tensor().dims()));
        }
        if ((v instanceof Data || v instanceof Zeros) && toFloat || integers && toInt || v instanceof Mask && to != null) {
            return v;
        }
        throw fail(node, "casts " + describe(v) + " to " + (to == null ? "an unsupported type" : to));
    }

    static Value shape(OnnxNode node, GraphInterpreter g) throws OnnxException {
        List<Int> dims = new ArrayList<>();
        Value v = g.input(node, 0);
        if (v instanceof Zeros z) {
            dims.addAll(z.shape());
        } else if (v instanceof Constant c) {
            for (long d : c.tensor().dims()) {
                dims.add(Int.of(d));
            }
        } else {
            for (Axis a : axes(node, v)) {
                dims.add(Int.sizeOf(a));
            }
        }
        int rank = dims.size();
        long start = Nodes.intAttribute(node, "start", 0);
        long end = Nodes.intAttribute(node, "end", rank);
        int from = clamp(start, rank);
        int to = Math.max(from, clamp(end, rank));
        return new Ints(List.copyOf(dims.subList(from, to)), false);
    }

    /** A slice bound: negative counts from the end; clamped to {@code [0, n]}. */
    private static int clamp(long bound, int n) {
        long b = bound < 0 ? bound + n : bound;
        return (int) Math.max(0, Math.min(n, b));
    }

    /** The axes of any value that has them. */
    static List<Axis> axes(OnnxNode node, Value v) throws OnnxException {
        if (v instanceof Data d) {
            return d.axes();
        } else if (v instanceof States s) {
            return s.axes();
        } else if (v instanceof Lengths l) {
            return l.axes();
        } else if (v instanceof StepIndex s) {
            return s.axes();
        } else if (v instanceof Mask m) {
            return m.axes();
        }
        throw fail(node, "reads " + describe(v) + ", whose axes the importer does not follow");
    }

    /** A value of the same kind as {@code v} (data, states, lengths, step index or mask) with other axes. */
    private static Value withAxes(Value v, List<Axis> axes) {
        List<Axis> a = List.copyOf(axes);
        if (v instanceof Data d) {
            return new Data(a, d.chain());
        } else if (v instanceof States s) {
            return StatesOps.normalize(new States(a, s.entries()));
        } else if (v instanceof Lengths) {
            return new Lengths(a);
        } else if (v instanceof StepIndex) {
            return new StepIndex(a);
        }
        return new Mask(a);
    }

    static Value gather(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        long[] index = g.knownInts(node, 1, "indices");
        boolean scalar = ints(g.input(node, 1)).scalar();
        long axis = Nodes.intAttribute(node, "axis", 0);
        Ints i = ints(v);
        if (i != null && !i.scalar()) {
            Axis.resolve(axis, 1, node.describe());
            List<Int> picked = new ArrayList<>();
            for (long k : index) {
                picked.add(i.values().get(position(node, k, i.values().size())));
            }
            return new Ints(List.copyOf(picked), scalar);
        }
        if (v instanceof States s) {
            return StatesOps.gather(node, s, Axis.resolve(axis, s.axes().size(), node.describe()), index, scalar);
        }
        throw fail(node, "gathers from " + describe(v) + "; Unroll does not pick single steps or features of its data (a model"
                + " that ends in a final state should output the recurrent node's Y_h, e.g. PyTorch's h_n[-1])");
    }

    /** An index into {@code n} elements, negative from the end. */
    static int position(OnnxNode node, long index, int n) throws OnnxException {
        long k = index < 0 ? index + n : index;
        if (k < 0 || k >= n) {
            throw fail(node, "index " + index + " is outside [" + -n + ", " + n + ")");
        }
        return (int) k;
    }

    static Value unsqueeze(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        long[] axes = axesOf(node, g);
        if (axes == null) {
            throw fail(node, "needs axes");
        }
        Ints i = ints(v);
        if (i != null) {
            if (!i.scalar() || axes.length != 1 || Axis.resolve(axes[0], 1, node.describe()) != 0) {
                throw fail(node, "unsqueezes integers other than a scalar into a vector");
            }
            return new Ints(i.values(), false);
        }
        if (v instanceof Zeros z) {
            return new Zeros(List.copyOf(Axis.insert(z.shape(), axes, Int.of(1), node.describe())));
        }
        if (v instanceof States s) {
            return StatesOps.unsqueeze(node, s, axes);
        }
        return withAxes(v, Axis.insert(axes(node, v), axes, Axis.group(1), node.describe()));
    }

    static Value squeeze(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        long[] axes = axesOf(node, g);
        Ints i = ints(v);
        if (i != null && !i.scalar() && i.values().size() == 1 && (axes == null || axes.length == 1)) {
            return new Ints(i.values(), true);
        }
        if (v instanceof Zeros z) {
            List<Int> kept = new ArrayList<>();
            boolean[] removed = removedAxes(node, axes, z.shape().size(), k -> Int.of(1).equals(z.shape().get(k)));
            for (int k = 0; k < removed.length; k++) {
                if (!removed[k]) {
                    kept.add(z.shape().get(k));
                }
            }
            return new Zeros(List.copyOf(kept));
        }
        List<Axis> all = axes(node, v);
        boolean[] removed = removedAxes(node, axes, all.size(), k -> all.get(k).isUnit());
        List<Axis> kept = new ArrayList<>();
        for (int k = 0; k < removed.length; k++) {
            if (!removed[k]) {
                kept.add(all.get(k));
            }
        }
        return withAxes(v, kept);
    }

    /** The axes Squeeze removes (all unit axes when {@code axes} is null), each checked to be a unit axis. */
    private static boolean[] removedAxes(OnnxNode node, long[] axes, int rank, IntPredicate unit) throws OnnxException {
        boolean[] removed;
        if (axes == null) {
            removed = new boolean[rank];
            for (int k = 0; k < rank; k++) {
                removed[k] = unit.test(k);
            }
        } else {
            removed = Axis.positions(axes, rank, node.describe());
        }
        for (int k = 0; k < rank; k++) {
            if (removed[k] && !unit.test(k)) {
                throw fail(node, "squeezes axis " + k + ", which is not of size 1");
            }
        }
        return removed;
    }

    static Value concat(OnnxNode node, GraphInterpreter g) throws OnnxException {
        long axis = Nodes.intAttribute(node, "axis", 0);
        List<Value> parts = new ArrayList<>();
        for (int k = 0; k < node.inputs().size(); k++) {
            parts.add(g.input(node, k));
        }
        if (parts.isEmpty()) {
            throw fail(node, "has no inputs");
        }
        if (parts.get(0) instanceof States) {
            List<States> states = new ArrayList<>();
            for (Value p : parts) {
                if (!(p instanceof States s)) {
                    throw fail(node, "concatenates final states with " + describe(p));
                }
                states.add(s);
            }
            return StatesOps.concat(node, states, axis);
        }
        List<Int> all = new ArrayList<>();
        for (Value p : parts) {
            Ints i = ints(p);
            if (i == null || i.scalar()) {
                throw fail(node, "concatenates " + describe(p) + "; Unroll concatenates shape vectors and final states only");
            }
            all.addAll(i.values());
        }
        Axis.resolve(axis, 1, node.describe());
        return new Ints(List.copyOf(all), false);
    }

    static Value slice(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        long[] starts = g.knownInts(node, 1, "starts");
        long[] ends = g.knownInts(node, 2, "ends");
        long[] axes = node.input(3).isEmpty() ? null : g.knownInts(node, 3, "axes");
        long[] steps = node.input(4).isEmpty() ? null : g.knownInts(node, 4, "steps");
        if (ends.length != starts.length || axes != null && axes.length != starts.length || steps != null && steps.length != starts.length) {
            throw fail(node, "starts, ends, axes and steps differ in length");
        }
        if (steps != null) {
            for (long s : steps) {
                if (s != 1) {
                    throw fail(node, "slices with step " + s + "; only step 1 is supported");
                }
            }
        }
        Ints i = ints(v);
        List<Int> list = i != null && !i.scalar() ? i.values() : v instanceof Zeros z ? z.shape() : null;
        if (list == null && !(v instanceof States)) {
            throw fail(node, "slices " + describe(v) + "; Unroll slices zeros, shape vectors and stacks of final states only");
        }
        int rank = v instanceof States s ? s.axes().size() : i != null ? 1 : list.size();
        Value result = v;
        for (int k = 0; k < starts.length; k++) {
            int axis = Axis.resolve(axes == null ? k : axes[k], rank, node.describe());
            result = sliceOne(node, result, i != null, axis, starts[k], ends[k]);
        }
        return result;
    }

    private static Value sliceOne(OnnxNode node, Value v, boolean isInts, int axis, long start, long end) throws OnnxException {
        if (v instanceof States s) {
            return StatesOps.slice(node, s, axis, start, end);
        }
        if (isInts) {
            List<Int> values = ((Ints) v).values();
            int from = clamp(start, values.size());
            return new Ints(List.copyOf(values.subList(from, Math.max(from, clamp(end, values.size())))), false);
        }
        List<Int> shape = new ArrayList<>(((Zeros) v).shape());
        Int dim = shape.get(axis);
        if (dim.symbol() != null) {
            if (start != 0 || end < Integer.MAX_VALUE) {
                throw fail(node, "slices the " + dim + " axis of zeros");
            }
            return v;
        }
        int n = (int) Math.min(dim.value(), Integer.MAX_VALUE);
        int from = clamp(start, n);
        shape.set(axis, Int.of(Math.max(0, clamp(end, n) - from)));
        return new Zeros(List.copyOf(shape));
    }

    static Value constantOfShape(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Ints shape = ints(g.input(node, 0));
        if (shape == null || shape.scalar()) {
            throw fail(node, "its shape should be a vector of integers, got " + describe(g.input(node, 0)));
        }
        OnnxAttribute value = node.attribute("value");
        if (value != null && (value.t() == null || !allZero(value.t()))) {
            throw fail(node, "fills with a value other than zero; Unroll's initial states are zeros");
        }
        return new Zeros(shape.values());
    }

    static boolean allZero(OnnxTensor t) throws OnnxException {
        if (t.isFloating()) {
            for (float f : t.floats()) {
                if (f != 0f) {
                    return false;
                }
            }
            return true;
        }
        for (long x : t.longs()) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static Value expand(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        Ints shape = ints(g.input(node, 1));
        if (shape == null || shape.scalar()) {
            throw fail(node, "its shape should be a vector of integers");
        }
        List<Int> from;
        if (v instanceof Zeros z) {
            from = z.shape();
        } else if (v instanceof Constant c && allZero(c.tensor())) {
            from = new ArrayList<>();
            for (long d : c.tensor().dims()) {
                from.add(Int.of(d));
            }
        } else {
            throw fail(node, "expands " + describe(v) + "; Unroll expands zeros (initial states) only");
        }
        int rank = Math.max(from.size(), shape.values().size());
        List<Int> out = new ArrayList<>();
        for (int k = 0; k < rank; k++) {
            int a = k - (rank - from.size());
            int b = k - (rank - shape.values().size());
            Int x = a >= 0 ? from.get(a) : Int.of(1);
            Int y = b >= 0 ? shape.values().get(b) : Int.of(1);
            out.add(Int.of(1).equals(x) ? y : x);
        }
        return new Zeros(List.copyOf(out));
    }

    static Value transpose(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        long[] perm = Nodes.intsAttribute(node, "perm");
        if (v instanceof Zeros z) {
            return new Zeros(List.copyOf(Axis.permute(z.shape(), perm, node.describe())));
        }
        return withAxes(v, Axis.permute(axes(node, v), perm, node.describe()));
    }

    static Value reshape(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Value v = g.input(node, 0);
        Ints target = ints(g.input(node, 1));
        if (target == null || target.scalar()) {
            throw fail(node, "its shape should be a vector of integers, got " + describe(g.input(node, 1)));
        }
        boolean allowZero = Nodes.intAttribute(node, "allowzero", 0) != 0;
        if (!(v instanceof Data || v instanceof States)) {
            throw fail(node, "reshapes " + describe(v));
        }
        return withAxes(v, AxisReshape.apply(node, axes(node, v), target.values(), allowZero));
    }

    static Value range(OnnxNode node, GraphInterpreter g) throws OnnxException {
        long[] start = g.knownInts(node, 0, "start");
        Ints limit = ints(g.input(node, 1));
        long[] delta = g.knownInts(node, 2, "delta");
        boolean steps = limit != null && limit.scalar() && limit.values().get(0).symbol() == Axis.Kind.TIME;
        if (!Arrays.equals(start, new long[] {0}) || !Arrays.equals(delta, new long[] {1}) || !steps) {
            throw fail(node, "Unroll reads Range(0, time, 1), the index of each step, only");
        }
        return new StepIndex(List.of(g.time()));
    }

    static Value compare(OnnxNode node, GraphInterpreter g) throws OnnxException {
        boolean less = node.opType().equals("Less");
        Value a = g.input(node, less ? 0 : 1);
        Value b = g.input(node, less ? 1 : 0);
        if (a instanceof StepIndex s && b instanceof Lengths l) {
            List<Axis> axes = Axis.broadcast(s.axes(), l.axes());
            if (axes != null && axes.contains(g.batch()) && axes.contains(g.time())) {
                return new Mask(List.copyOf(axes));
            }
        }
        throw fail(node, "Unroll reads step index < lengths (the mask of valid steps) only, got " + describe(a) + " and " + describe(b));
    }

    /** {@code axes} of Squeeze and Unsqueeze: the input of opset 13, or the attribute of older files; null if neither. */
    private static long[] axesOf(OnnxNode node, GraphInterpreter g) throws OnnxException {
        return node.input(1).isEmpty() ? Nodes.intsAttribute(node, "axes") : g.knownInts(node, 1, "axes");
    }
}
