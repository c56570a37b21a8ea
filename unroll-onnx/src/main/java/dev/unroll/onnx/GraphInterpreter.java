package dev.unroll.onnx;

import static dev.unroll.onnx.Nodes.fail;

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
            case "MatMul" -> List.of(LayerNodes.matMul(node, this));
            case "Gemm" -> List.of(LayerNodes.gemm(node, this));
            case "Add" -> List.of(LayerNodes.add(node, this));
            case "Mul" -> List.of(LayerNodes.mask(node, this));
            case "Tanh", "Relu", "Sigmoid" -> List.of(LayerNodes.activation(node, this));
            case "LayerNormalization" -> LayerNodes.layerNormalization(node, this);
            case "Constant" -> List.of(GlueNodes.constantNode(node));
            case "Identity" -> List.of(input(node, 0));
            case "Dropout" -> GlueNodes.dropout(node, this);
            case "Cast" -> List.of(GlueNodes.cast(node, this));
            case "Shape" -> List.of(GlueNodes.shape(node, this));
            case "Gather" -> List.of(GlueNodes.gather(node, this));
            case "Unsqueeze" -> List.of(GlueNodes.unsqueeze(node, this));
            case "Squeeze" -> List.of(GlueNodes.squeeze(node, this));
            case "Concat" -> List.of(GlueNodes.concat(node, this));
            case "Slice" -> List.of(GlueNodes.slice(node, this));
            case "ConstantOfShape" -> List.of(GlueNodes.constantOfShape(node, this));
            case "Expand" -> List.of(GlueNodes.expand(node, this));
            case "Transpose" -> List.of(GlueNodes.transpose(node, this));
            case "Reshape" -> List.of(GlueNodes.reshape(node, this));
            case "Range" -> List.of(GlueNodes.range(node, this));
            case "Less", "Greater" -> List.of(GlueNodes.compare(node, this));
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

    Data data(OnnxNode node, int index) throws OnnxException {
        Value v = input(node, index);
        if (!(v instanceof Data d)) {
            throw fail(node, "input " + index + " should be the model's data, got " + describe(v));
        }
        return d;
    }

    // ------------------------------------------------------------------ constants and integers

    OnnxTensor constant(OnnxNode node, int index) throws OnnxException {
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
    static Ints ints(Value v) throws OnnxException {
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
    long[] knownInts(OnnxNode node, int index, String what) throws OnnxException {
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

    // ------------------------------------------------------------------ dense, normalization, masks

    /** The input's batch axis. */
    Axis batch() {
        return batch;
    }

    /** The input's time axis. */
    Axis time() {
        return time;
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
