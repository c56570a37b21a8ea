package dev.unroll.onnx;

import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.kernel.Activation;
import dev.unroll.onnx.Value.Constant;
import dev.unroll.onnx.Value.Data;
import dev.unroll.onnx.Value.InitialState;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an ONNX graph abstractly (see {@link Value}) to find the Unroll layers it computes: from the
 * first float input, through the nodes on the path to the first output, each operator either
 * rearranges the data's axes, computes shapes and zeros (the glue exporters emit), or is a layer —
 * {@code RNN}/{@code LSTM}/{@code GRU} (see {@link RecurrentNodes}), {@code MatMul} or
 * {@code Gemm} (+ {@code Add}, + {@code Tanh}/{@code Relu}/{@code Sigmoid}) for a dense layer,
 * {@code LayerNormalization}. Anything else on that path is an error naming the node. Nodes off the
 * path (e.g. those computing extra outputs) are not read.
 *
 * <p>A 3-D input may be batch first or time first (PyTorch's {@code batch_first}); the file does
 * not say, so the importer assumes batch first and, when a recurrent node then finds its input
 * batch first, runs again assuming time first (see {@link LayoutMismatch}).
 */
final class GraphInterpreter {
    private final OnnxModel model;
    private final Map<String, Value> values = new HashMap<>();
    private Axis batch;
    private Axis time;

    /**
     * What the graph computes.
     *
     * @param chain      the layers, in order
     * @param inputAxes  the meaning of the input's axes
     * @param outputAxes the meaning of the output's axes
     */
    record Result(List<LayerSpec> chain, List<Axis> inputAxes, List<Axis> outputAxes) {
    }

    /** A recurrent node found its input batch first: the input was time first after all. */
    static final class LayoutMismatch extends OnnxException {
        private static final long serialVersionUID = 1L;

        LayoutMismatch(String message) {
            super(message);
        }
    }

    private GraphInterpreter(OnnxModel model) {
        this.model = model;
    }

    /** Interprets the graph, the 3-D input read as time first or batch first. */
    static Result run(OnnxModel model, boolean timeFirst) throws OnnxException {
        return new GraphInterpreter(model).run(timeFirst);
    }

    private Result run(boolean timeFirst) throws OnnxException {
        if (model.onnxOpset() < 13) {
            throw new OnnxException("the model imports ai.onnx opset " + model.onnxOpset() + "; Unroll imports opset 13 or later");
        }
        OnnxGraph g = model.graph();
        if (g.outputs().isEmpty()) {
            throw new OnnxException("the graph has no outputs");
        }
        for (OnnxTensor t : g.initializers()) {
            define(t.name(), new Constant(t), "initializer");
        }
        List<Axis> inputAxes = defineInputs(timeFirst);
        String output = g.outputs().get(0).name();
        for (OnnxNode node : needed(output)) {
            interpret(node);
        }
        Value out = values.get(output);
        if (out == null) {
            throw new OnnxException("the graph output '" + output + "' is neither an input, an initializer nor a node output");
        }
        return new Result(validOutput(output, out), inputAxes, ((Data) out).axes());
    }

    /** The first float input is the model's data; int inputs are lengths; other float inputs initial states. */
    private List<Axis> defineInputs(boolean timeFirst) throws OnnxException {
        List<Axis> dataAxes = null;
        for (OnnxValueInfo in : model.runtimeInputs()) {
            OnnxTensor.DataType type = OnnxTensor.DataType.of(in.elemType());
            boolean floating = type == OnnxTensor.DataType.FLOAT;
            Value v;
            if (floating && dataAxes == null) {
                dataAxes = inputAxes(in, timeFirst);
                v = new Data(dataAxes, List.of());
            } else if (floating) {
                v = new InitialState(in.name());
            } else if ((type == OnnxTensor.DataType.INT32 || type == OnnxTensor.DataType.INT64) && in.shape() != null
                    && in.shape().size() == 1) {
                v = new Lengths(List.of(batch));
            } else {
                v = new Unusable("input '" + in.name() + "' of type " + in.describeType());
            }
            define(in.name(), v, "input");
        }
        if (dataAxes == null) {
            throw new OnnxException("the graph has no float input to read as the model's sequences");
        }
        return dataAxes;
    }

    private List<Axis> inputAxes(OnnxValueInfo in, boolean timeFirst) throws OnnxException {
        List<OnnxValueInfo.Dim> shape = in.shape();
        if (shape == null || shape.size() < 2 || shape.size() > 3) {
            throw new OnnxException("input '" + in.name() + "' is " + in.describeType() + "; Unroll models read sequences"
                    + " [batch, time, features] (or [time, batch, features]), or vectors [batch, features]");
        }
        long features = shape.get(shape.size() - 1).value();
        if (features < 1) {
            throw new OnnxException("input '" + in.name() + "' is " + in.describeType() + ": the number of features (its last"
                    + " dimension) must be a fixed number");
        }
        if (shape.size() == 2) {
            batch = new Axis(Axis.Kind.BATCH, shape.get(0).value());
            time = new Axis(Axis.Kind.TIME, -1);
            return List.of(batch, Axis.features(features));
        }
        batch = new Axis(Axis.Kind.BATCH, shape.get(timeFirst ? 1 : 0).value());
        time = new Axis(Axis.Kind.TIME, shape.get(timeFirst ? 0 : 1).value());
        return timeFirst ? List.of(time, batch, Axis.features(features)) : List.of(batch, time, Axis.features(features));
    }

    private void define(String name, Value v, String what) throws OnnxException {
        if (name.isEmpty()) {
            throw new OnnxException("an " + what + " has an empty name");
        }
        if (values.put(name, v) != null) {
            throw new OnnxException("the value '" + name + "' is defined twice (the second time as an " + what + ")");
        }
    }

    /** The nodes the output depends on, in graph order; checks that each reads only values defined before it. */
    private List<OnnxNode> needed(String output) throws OnnxException {
        List<OnnxNode> nodes = model.graph().nodes();
        Set<String> defined = new HashSet<>(values.keySet());
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw fail(n, "reads '" + in + "', which no input, initializer or earlier node defines");
                }
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty() && !defined.add(out)) {
                    throw fail(n, "outputs '" + out + "', which is already defined");
                }
            }
        }
        Set<String> wanted = new HashSet<>(List.of(output));
        boolean[] keep = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxNode n = nodes.get(i);
            for (String out : n.outputs()) {
                if (wanted.contains(out)) {
                    keep[i] = true;
                }
            }
            if (keep[i]) {
                wanted.addAll(n.inputs());
            }
        }
        List<OnnxNode> path = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (keep[i]) {
                path.add(nodes.get(i));
            }
        }
        return path;
    }

    private List<LayerSpec> validOutput(String name, Value out) throws OnnxException {
        if (out instanceof States s) {
            throw new OnnxException("the graph output '" + name + "' is " + describeStates(s) + "; Unroll's final-state output is"
                    + " one node's directions concatenated, forward then backward");
        }
        if (!(out instanceof Data d)) {
            throw new OnnxException("the graph output '" + name + "' is not computed from the model's input by layers Unroll has"
                    + " (it is " + describe(out) + ")");
        }
        List<Axis.Kind> kinds = new ArrayList<>();
        for (Axis a : d.axes()) {
            kinds.add(a.kind());
        }
        boolean sequence = kinds.equals(List.of(Axis.Kind.BATCH, Axis.Kind.TIME, Axis.Kind.FEATURES))
                || kinds.equals(List.of(Axis.Kind.TIME, Axis.Kind.BATCH, Axis.Kind.FEATURES));
        if (!sequence && !kinds.equals(List.of(Axis.Kind.BATCH, Axis.Kind.FEATURES))) {
            throw new OnnxException("the graph output '" + name + "' has axes " + Axis.describe(d.axes())
                    + "; Unroll models output [batch, time, features] (or time first) or [batch, features]");
        }
        if (d.chain().isEmpty()) {
            throw new OnnxException("the graph output '" + name + "' is the input itself; the graph has no layers");
        }
        return d.chain();
    }

    // ------------------------------------------------------------------ nodes

    private void interpret(OnnxNode node) throws OnnxException {
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            throw fail(node, "operator domain '" + node.domain() + "' is not supported (only the standard ai.onnx operators)");
        }
        List<Value> out = switch (node.opType()) {
            case "RNN", "LSTM", "GRU" -> RecurrentNodes.interpret(node, this);
            case "Constant" -> List.of(constantNode(node));
            case "Identity" -> List.of(input(node, 0));
            case "Dropout" -> dropout(node);
            case "Cast" -> List.of(cast(node));
            case "Shape" -> List.of(shape(node));
            case "Gather" -> List.of(gather(node));
            case "Unsqueeze" -> List.of(unsqueeze(node));
            case "Squeeze" -> List.of(squeeze(node));
            case "Concat" -> List.of(concat(node));
            case "Slice" -> List.of(slice(node));
            case "ConstantOfShape" -> List.of(constantOfShape(node));
            case "Expand" -> List.of(expand(node));
            case "Transpose" -> List.of(transpose(node));
            case "Reshape" -> List.of(reshape(node));
            case "MatMul" -> List.of(matMul(node));
            case "Gemm" -> List.of(gemm(node));
            case "Add" -> List.of(add(node));
            case "Mul" -> List.of(mask(node));
            case "Tanh", "Relu", "Sigmoid" -> List.of(activation(node));
            case "LayerNormalization" -> layerNormalization(node);
            case "Range" -> List.of(range(node));
            case "Less", "Greater" -> List.of(compare(node));
            default -> throw fail(node, "operator " + node.opType() + " is not supported; Unroll imports RNN, LSTM, GRU, MatMul, Gemm,"
                    + " Add, LayerNormalization, activations and the shape glue exporters emit around them");
        };
        for (int i = 0; i < node.outputs().size(); i++) {
            String name = node.outputs().get(i);
            if (!name.isEmpty()) {
                values.put(name, i < out.size() ? out.get(i) : new Unusable("output " + i + " of " + node.describe()));
            }
        }
    }

    /** The value of input {@code index}, which must be given and usable. */
    Value input(OnnxNode node, int index) throws OnnxException {
        Value v = optionalInput(node, index);
        if (v == null) {
            throw fail(node, "input " + index + " is missing");
        }
        return v;
    }

    /** The value of input {@code index}, or null when the node leaves it out; never an {@link Unusable}. */
    Value optionalInput(OnnxNode node, int index) throws OnnxException {
        String name = node.input(index);
        if (name.isEmpty()) {
            return null;
        }
        Value v = values.get(name);
        if (v instanceof Unusable u) {
            throw fail(node, "reads " + u.why() + ", which Unroll has no equivalent of");
        }
        return v;
    }

    private Data data(OnnxNode node, int index) throws OnnxException {
        Value v = input(node, index);
        if (!(v instanceof Data d)) {
            throw fail(node, "input " + index + " should be the model's data, got " + describe(v));
        }
        return d;
    }

    /** Data a layer can read: batch (and time) axes, then features, nothing else. */
    private static Data layerInput(OnnxNode node, Data d) throws OnnxException {
        for (int i = 0; i < d.axes().size(); i++) {
            Axis.Kind k = d.axes().get(i).kind();
            boolean last = i == d.axes().size() - 1;
            if (last != (k == Axis.Kind.FEATURES) || k == Axis.Kind.GROUP) {
                throw fail(node, "reads data with axes " + Axis.describe(d.axes()) + "; a layer reads [batch, (time,) features]");
            }
        }
        return d;
    }

    private static long features(Data d) {
        return d.axes().get(d.axes().size() - 1).size();
    }

    private static Data withLayer(Data d, LayerSpec layer, List<Axis> axes) {
        List<LayerSpec> chain = new ArrayList<>(d.chain());
        chain.add(layer);
        return new Data(axes, List.copyOf(chain));
    }

    private static Data withLastLayer(Data d, LayerSpec layer) {
        List<LayerSpec> chain = new ArrayList<>(d.chain());
        chain.set(chain.size() - 1, layer);
        return new Data(d.axes(), List.copyOf(chain));
    }

    private static List<Axis> withFeatures(List<Axis> axes, long features) {
        List<Axis> out = new ArrayList<>(axes);
        out.set(out.size() - 1, Axis.features(features));
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ constants and integers

    private OnnxTensor constant(OnnxNode node, int index) throws OnnxException {
        Value v = input(node, index);
        if (!(v instanceof Constant c)) {
            throw fail(node, "input " + index + " should be a constant tensor, got " + describe(v));
        }
        return c.tensor();
    }

    /** A float constant of exactly these dimensions. */
    float[] weights(OnnxNode node, int index, String what, long... dims) throws OnnxException {
        OnnxTensor t = constant(node, index);
        if (!t.isFloating() || !Arrays.equals(t.dims(), dims)) {
            throw fail(node, what + " '" + t.name() + "' should be a float tensor " + Arrays.toString(dims) + ", got " + t.type() + " "
                    + Arrays.toString(t.dims()));
        }
        return t.floats();
    }

    /** Integers from a constant (scalar or 1-D) or a shape computation; null if the value is neither. */
    private static Ints ints(Value v) throws OnnxException {
        if (v instanceof Ints i) {
            return i;
        }
        if (v instanceof Constant c && !c.tensor().isFloating() && c.tensor().dims().length <= 1) {
            List<Int> list = new ArrayList<>();
            for (long x : c.tensor().longs()) {
                list.add(Int.of(x));
            }
            return new Ints(List.copyOf(list), c.tensor().dims().length == 0);
        }
        return null;
    }

    /** Known integers (a constant, or a shape computation that needs no symbol), as longs. */
    private long[] knownInts(OnnxNode node, int index, String what) throws OnnxException {
        Ints i = ints(input(node, index));
        if (i == null) {
            throw fail(node, what + " (input " + index + ") should be constant integers");
        }
        long[] out = new long[i.values().size()];
        for (int k = 0; k < out.length; k++) {
            Int x = i.values().get(k);
            if (x.symbol() != null) {
                throw fail(node, what + " (input " + index + ") should be constant, but depends on the " + x);
            }
            out[k] = x.value();
        }
        return out;
    }

    /** {@code axes} of Squeeze and Unsqueeze: the input of opset 13, or the attribute of older files; null if neither. */
    private long[] axesOf(OnnxNode node) throws OnnxException {
        return node.input(1).isEmpty() ? Nodes.intsAttribute(node, "axes") : knownInts(node, 1, "axes");
    }

    private Value constantNode(OnnxNode node) throws OnnxException {
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

    private List<Value> dropout(OnnxNode node) throws OnnxException {
        Value training = optionalInput(node, 2);
        if (training != null) {
            Ints t = ints(training);
            if (t == null || t.values().size() != 1 || t.values().get(0).value() != 0) {
                throw fail(node, "training_mode must be a constant false: the importer reads inference graphs");
            }
        }
        return List.of(input(node, 0), new Unusable("the dropout mask of " + node.describe()));
    }

    private Value cast(OnnxNode node) throws OnnxException {
        OnnxTensor.DataType to = OnnxTensor.DataType.of((int) Nodes.intAttribute(node, "to", 0));
        Value v = input(node, 0);
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

    private Value shape(OnnxNode node) throws OnnxException {
        List<Int> dims = new ArrayList<>();
        Value v = input(node, 0);
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
    private static List<Axis> axes(OnnxNode node, Value v) throws OnnxException {
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

    private Value gather(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        long[] index = knownInts(node, 1, "indices");
        boolean scalar = ints(input(node, 1)).scalar();
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

    private Value unsqueeze(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        long[] axes = axesOf(node);
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

    private Value squeeze(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        long[] axes = axesOf(node);
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
    private static boolean[] removedAxes(OnnxNode node, long[] axes, int rank, java.util.function.IntPredicate unit) throws OnnxException {
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

    private Value concat(OnnxNode node) throws OnnxException {
        long axis = Nodes.intAttribute(node, "axis", 0);
        List<Value> parts = new ArrayList<>();
        for (int k = 0; k < node.inputs().size(); k++) {
            parts.add(input(node, k));
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

    private Value slice(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        long[] starts = knownInts(node, 1, "starts");
        long[] ends = knownInts(node, 2, "ends");
        long[] axes = node.input(3).isEmpty() ? null : knownInts(node, 3, "axes");
        long[] steps = node.input(4).isEmpty() ? null : knownInts(node, 4, "steps");
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

    private Value sliceOne(OnnxNode node, Value v, boolean isInts, int axis, long start, long end) throws OnnxException {
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

    private Value constantOfShape(OnnxNode node) throws OnnxException {
        Ints shape = ints(input(node, 0));
        if (shape == null || shape.scalar()) {
            throw fail(node, "its shape should be a vector of integers, got " + describe(input(node, 0)));
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

    private Value expand(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        Ints shape = ints(input(node, 1));
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

    private Value transpose(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        long[] perm = Nodes.intsAttribute(node, "perm");
        if (v instanceof Zeros z) {
            return new Zeros(List.copyOf(Axis.permute(z.shape(), perm, node.describe())));
        }
        return withAxes(v, Axis.permute(axes(node, v), perm, node.describe()));
    }

    private Value reshape(OnnxNode node) throws OnnxException {
        Value v = input(node, 0);
        Ints target = ints(input(node, 1));
        if (target == null || target.scalar()) {
            throw fail(node, "its shape should be a vector of integers, got " + describe(input(node, 1)));
        }
        boolean allowZero = Nodes.intAttribute(node, "allowzero", 0) != 0;
        if (!(v instanceof Data || v instanceof States)) {
            throw fail(node, "reshapes " + describe(v));
        }
        return withAxes(v, AxisReshape.apply(node, axes(node, v), target.values(), allowZero));
    }

    // ------------------------------------------------------------------ dense, normalization, masks

    private Value matMul(OnnxNode node) throws OnnxException {
        Data x = layerInput(node, data(node, 0));
        OnnxTensor w = constant(node, 1);
        long in = features(x);
        if (w.dims().length != 2 || w.dims()[0] != in || !w.isFloating()) {
            throw fail(node, "multiplies data of " + in + " features by " + w.type() + " " + Arrays.toString(w.dims())
                    + "; a dense layer's weight should be float [" + in + ", outputs]");
        }
        int out = (int) w.dims()[1];
        return withLayer(x, dense((int) in, out, w.floats(), true, new float[out]), withFeatures(x.axes(), out));
    }

    /** A dense layer from a {@code [in, out]} weight ({@code transposed}) or a {@code [out, in]} one. */
    private static LayerSpec.DenseSpec dense(int in, int out, float[] w, boolean transposed, float[] bias) {
        float[] weight = w;
        if (transposed) {
            weight = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    weight[o * in + i] = w[i * out + o];
                }
            }
        }
        return new LayerSpec.DenseSpec(in, out, weight, bias, Activation.IDENTITY);
    }

    private Value gemm(OnnxNode node) throws OnnxException {
        Data x = layerInput(node, data(node, 0));
        if (x.axes().size() != 2 || Nodes.intAttribute(node, "transA", 0) != 0) {
            throw fail(node, "Gemm multiplies [batch, features] data (transA = 0), got " + Axis.describe(x.axes()));
        }
        boolean transB = Nodes.intAttribute(node, "transB", 0) != 0;
        float alpha = Nodes.floatAttribute(node, "alpha", 1f);
        float beta = Nodes.floatAttribute(node, "beta", 1f);
        OnnxTensor b = constant(node, 1);
        int in = (int) features(x);
        if (b.dims().length != 2 || b.dims()[transB ? 1 : 0] != in || !b.isFloating()) {
            throw fail(node, "its weight B " + Arrays.toString(b.dims()) + (transB ? " (transposed)" : "") + " does not take " + in
                    + " features");
        }
        int out = (int) b.dims()[transB ? 0 : 1];
        float[] w = b.floats();
        for (int k = 0; k < w.length; k++) {
            w[k] *= alpha;
        }
        float[] bias = new float[out];
        if (optionalInput(node, 2) != null) {
            float[] c = biasVector(node, 2, out);
            for (int k = 0; k < out; k++) {
                bias[k] = beta * c[k];
            }
        }
        return withLayer(x, dense(in, out, w, !transB, bias), withFeatures(x.axes(), out));
    }

    /** A constant that adds one value per output feature: {@code [out]}, {@code [1, out]}, ... */
    private float[] biasVector(OnnxNode node, int index, int out) throws OnnxException {
        OnnxTensor c = constant(node, index);
        long[] d = c.dims();
        boolean vector = c.isFloating() && c.elementCount() == out && (d.length == 0 ? out == 1 : d[d.length - 1] == out);
        if (!vector) {
            throw fail(node, "adds " + c.type() + " " + Arrays.toString(d) + " to data of " + out + " features; a bias is float [" + out + "]");
        }
        return c.floats();
    }

    private Value add(OnnxNode node) throws OnnxException {
        int dataIndex = input(node, 0) instanceof Data ? 0 : 1;
        Data x = data(node, dataIndex);
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        if (!(last instanceof LayerSpec.DenseSpec dense) || dense.activation() != Activation.IDENTITY) {
            throw fail(node, "adds to data that no dense layer (MatMul) has just computed; Unroll adds constants only as a dense"
                    + " layer's bias");
        }
        return withLastLayer(x, dense.plusBias(biasVector(node, 1 - dataIndex, dense.out())));
    }

    private Value activation(OnnxNode node) throws OnnxException {
        Data x = data(node, 0);
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        if (!(last instanceof LayerSpec.DenseSpec dense) || dense.activation() != Activation.IDENTITY) {
            throw fail(node, "applies " + node.opType() + " to data that no dense layer has just computed; Unroll has activations"
                    + " inside dense and recurrent layers only");
        }
        return withLastLayer(x, dense.withActivation(RnnActivations.ofOperator(node.opType())));
    }

    private List<Value> layerNormalization(OnnxNode node) throws OnnxException {
        Data x = layerInput(node, data(node, 0));
        if (Axis.resolve(Nodes.intAttribute(node, "axis", -1), x.axes().size(), node.describe()) != x.axes().size() - 1) {
            throw fail(node, "normalizes from axis " + Nodes.intAttribute(node, "axis", -1) + "; Unroll normalizes the features (the last axis)");
        }
        int f = (int) features(x);
        float eps = Nodes.floatAttribute(node, "epsilon", 1e-5f);
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw fail(node, "epsilon must be positive, got " + eps);
        }
        float[] scale = weights(node, 1, "scale", f);
        float[] bias = optionalInput(node, 2) == null ? new float[f] : weights(node, 2, "bias", f);
        Value y = withLayer(x, new LayerSpec.NormSpec(f, eps, scale, bias), x.axes());
        return List.of(y, new Unusable("the mean output of " + node.describe()), new Unusable("the inverse deviation output of "
                + node.describe()));
    }

    /** {@code Mul(data, mask)}: zeros past the lengths, which Unroll's layer has already (or the graph is not Unroll's). */
    private Value mask(OnnxNode node) throws OnnxException {
        int dataIndex = input(node, 0) instanceof Data ? 0 : 1;
        Data x = data(node, dataIndex);
        Value m = input(node, 1 - dataIndex);
        if (!(m instanceof Mask mask)) {
            throw fail(node, "multiplies the data by " + describe(m) + "; Unroll multiplies only by the mask of valid steps");
        }
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        boolean aligned = x.axes().equals(Axis.broadcast(x.axes(), mask.axes()));
        if (!aligned || last == null || !last.zeroesPastLengths()) {
            throw fail(node, "masks steps past the lengths after a layer whose outputs Unroll does not mask (or with axes "
                    + Axis.describe(mask.axes()) + " that do not line up with " + Axis.describe(x.axes()) + ")");
        }
        return x;
    }

    private Value range(OnnxNode node) throws OnnxException {
        long[] start = knownInts(node, 0, "start");
        Ints limit = ints(input(node, 1));
        long[] delta = knownInts(node, 2, "delta");
        boolean steps = limit != null && limit.scalar() && limit.values().get(0).symbol() == Axis.Kind.TIME;
        if (!Arrays.equals(start, new long[] {0}) || !Arrays.equals(delta, new long[] {1}) || !steps) {
            throw fail(node, "Unroll reads Range(0, time, 1), the index of each step, only");
        }
        return new StepIndex(List.of(time));
    }

    private Value compare(OnnxNode node) throws OnnxException {
        boolean less = node.opType().equals("Less");
        Value a = input(node, less ? 0 : 1);
        Value b = input(node, less ? 1 : 0);
        if (a instanceof StepIndex s && b instanceof Lengths l) {
            List<Axis> axes = Axis.broadcast(s.axes(), l.axes());
            if (axes != null && axes.contains(batch) && axes.contains(time)) {
                return new Mask(List.copyOf(axes));
            }
        }
        throw fail(node, "Unroll reads step index < lengths (the mask of valid steps) only, got " + describe(a) + " and " + describe(b));
    }

    // ------------------------------------------------------------------ messages

    static String describe(Value v) {
        if (v instanceof Constant c) {
            return "the constant '" + c.tensor().name() + "' " + c.tensor().type() + " " + Arrays.toString(c.tensor().dims());
        } else if (v instanceof Ints i) {
            return "the integers " + i.values();
        } else if (v instanceof Zeros z) {
            return "zeros of shape " + z.shape();
        } else if (v instanceof Data d) {
            return "data with axes " + Axis.describe(d.axes());
        } else if (v instanceof States s) {
            return describeStates(s);
        } else if (v instanceof Lengths) {
            return "the lengths";
        } else if (v instanceof StepIndex) {
            return "the step index";
        } else if (v instanceof Mask) {
            return "the mask of valid steps";
        } else if (v instanceof InitialState s) {
            return "the initial-state input '" + s.input() + "'";
        }
        return ((Unusable) v).why();
    }

    private static String describeStates(States s) {
        List<String> refs = new ArrayList<>();
        for (Value.StateRef r : s.entries()) {
            refs.add(r.node().node() + (r.node().directions() == 2 ? (r.direction() == 0 ? " forward" : " backward") : ""));
        }
        return "final states " + refs + " with axes " + Axis.describe(s.axes());
    }
}
