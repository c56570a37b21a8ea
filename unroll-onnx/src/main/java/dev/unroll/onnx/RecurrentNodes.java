package dev.unroll.onnx;

import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.onnx.Value.Constant;
import dev.unroll.onnx.Value.Data;
import dev.unroll.onnx.Value.InitialState;
import dev.unroll.onnx.Value.Int;
import dev.unroll.onnx.Value.Lengths;
import dev.unroll.onnx.Value.NodeStates;
import dev.unroll.onnx.Value.StateRef;
import dev.unroll.onnx.Value.States;
import dev.unroll.onnx.Value.Unusable;
import dev.unroll.onnx.Value.Zeros;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ONNX {@code RNN}, {@code LSTM} and {@code GRU} nodes as Unroll recurrent layers: one node per
 * stacked layer (a node whose input is the previous node's outputs, same cell and sizes, becomes
 * the next layer of the same {@code Recurrent}), weights converted to PyTorch's gate order
 * ({@link GateOrder}).
 *
 * <pre>
 *   inputs   X [T, B, I] (layout 0), W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H] (optional: zeros),
 *            sequence_lens (optional: the graph's lengths), initial_h and initial_c (optional: zeros,
 *            or a graph input — the imported model starts from zeros), P (LSTM peepholes: not supported)
 *   outputs  Y [T, D, B, H], Y_h [D, B, H], Y_c (LSTM: not usable — Unroll's layers output h)
 * </pre>
 *
 * <p>What Unroll's cells compute, and nothing else, is accepted: directions forward or
 * bidirectional; the default activations (RNN: Tanh, Relu, Sigmoid or Affine with α = 1, β = 0, the
 * same in both directions); GRU's {@code linear_before_reset = 1}; no {@code clip}, no
 * {@code input_forget}, no peepholes, layout 0. Anything else is an error naming the node and the
 * attribute.
 */
final class RecurrentNodes {
    private static final Set<String> RNN_ATTRIBUTES = Set.of("hidden_size", "direction", "activations", "activation_alpha",
            "activation_beta", "clip", "layout");

    private RecurrentNodes() {
    }

    static List<Value> interpret(OnnxNode node, GraphInterpreter graph) throws OnnxException {
        CellType type = CellType.parse(node.opType());
        Set<String> known = new HashSet<>(RNN_ATTRIBUTES);
        if (type == CellType.GRU) {
            known.add("linear_before_reset");
        } else if (type == CellType.LSTM) {
            known.add("input_forget");
        }
        Nodes.onlyAttributes(node, known);
        if (node.attribute("clip") != null) {
            throw fail(node, "clip (cell clipping) is not supported: Unroll's cells do not clip");
        }
        if (Nodes.intAttribute(node, "layout", 0) != 0) {
            throw fail(node, "layout 1 (batch first) is not supported; exporters write layout 0, [time, batch, features]");
        }
        if (Nodes.intAttribute(node, "input_forget", 0) != 0) {
            throw fail(node, "input_forget (coupled input and forget gates) is not supported");
        }
        if (type == CellType.GRU && Nodes.intAttribute(node, "linear_before_reset", 0) != 1) {
            throw fail(node, "linear_before_reset = 0 is not supported: Unroll's GRU (as PyTorch's) applies the reset gate after the"
                    + " recurrent product, r ⊙ (W_hn·h + b_hn), which is linear_before_reset = 1");
        }
        String direction = Nodes.stringAttribute(node, "direction", "forward");
        if (!direction.equals("forward") && !direction.equals("bidirectional")) {
            throw fail(node, "direction '" + direction + "' is not supported (forward or bidirectional)");
        }
        int d = direction.equals("bidirectional") ? 2 : 1;
        Activation activation = activation(node, type, d);

        Data x = sequence(node, graph);
        Axis batch = x.axes().get(1);
        long in = x.axes().get(2).size();
        long hiddenAttribute = Nodes.intAttribute(node, "hidden_size", -1);
        OnnxTensor w = weightsTensor(node, graph, 1);
        long rows = w.dims().length == 3 ? w.dims()[1] : -1;
        long h = hiddenAttribute > 0 ? hiddenAttribute : rows / type.gates;
        int g = type.gates;
        if (h < 1 || rows != g * h || (long) d * g * h * Math.max(in, h) > Integer.MAX_VALUE) {
            throw fail(node, "W " + Arrays.toString(w.dims()) + " does not hold " + g + " gates of hidden_size " + hiddenAttribute);
        }
        int hidden = (int) h;
        int inputs = (int) in;
        float[] wv = graph.weights(node, 1, "W", d, g * h, in);
        float[] rv = graph.weights(node, 2, "R", d, g * h, h);
        float[] bv = graph.optionalInput(node, 3) == null ? new float[d * 2 * g * hidden] : graph.weights(node, 3, "B", d, 2L * g * h);
        Value lengths = graph.optionalInput(node, 4);
        if (lengths != null && !(lengths instanceof Lengths l && l.axes().equals(List.of(batch)))) {
            throw fail(node, "sequence_lens should be the graph's lengths input [batch], got " + GraphInterpreter.describe(lengths));
        }
        checkInitialState(node, graph, 5, "initial_h", d, batch, h);
        if (type == CellType.LSTM) {
            checkInitialState(node, graph, 6, "initial_c", d, batch, h);
            if (!node.input(7).isEmpty()) {
                throw fail(node, "peepholes (input P) are not supported: Unroll's LSTM has none");
            }
        }

        List<LayerSpec.CellWeights> cells = new ArrayList<>();
        for (int dir = 0; dir < d; dir++) {
            float[] wih = new float[g * hidden * inputs];
            float[] whh = new float[g * hidden * hidden];
            float[] bih = new float[g * hidden];
            float[] bhh = new float[g * hidden];
            GateOrder.fromOnnx(type, wv, dir * g * hidden * inputs, hidden, inputs, wih, 0);
            GateOrder.fromOnnx(type, rv, dir * g * hidden * hidden, hidden, hidden, whh, 0);
            GateOrder.fromOnnx(type, bv, dir * 2 * g * hidden, hidden, 1, bih, 0);
            GateOrder.fromOnnx(type, bv, dir * 2 * g * hidden + g * hidden, hidden, 1, bhh, 0);
            cells.add(new LayerSpec.CellWeights(wih, whh, bih, bhh));
        }
        List<LayerSpec> chain = new ArrayList<>(x.chain());
        LayerSpec last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
        if (last instanceof LayerSpec.RecurrentSpec r && r.stacksWith(type, activation, hidden, d)) {
            chain.set(chain.size() - 1, r.plusLayer(cells));
        } else {
            chain.add(new LayerSpec.RecurrentSpec(type, activation, inputs, hidden, d, List.copyOf(cells), true));
        }
        LayerSpec.RecurrentSpec spec = (LayerSpec.RecurrentSpec) chain.get(chain.size() - 1);
        List<LayerSpec> finalChain = new ArrayList<>(chain);
        finalChain.set(finalChain.size() - 1, spec.endingInFinalState());

        Axis time = x.axes().get(0);
        Value y = new Data(List.of(time, Axis.group(d), batch, Axis.features(h)), List.copyOf(chain));
        NodeStates states = new NodeStates(node.describe(), List.copyOf(finalChain), d, hidden);
        List<StateRef> refs = new ArrayList<>();
        for (int dir = 0; dir < d; dir++) {
            refs.add(new StateRef(states, dir));
        }
        Value yh = new States(List.of(Axis.group(d), batch, Axis.features(h)), List.copyOf(refs));
        return List.of(y, yh, new Unusable("the LSTM cell state Y_c of " + node.describe()));
    }

    /** The input X, which must be [time, batch, features] data a layer can read. */
    private static Data sequence(OnnxNode node, GraphInterpreter graph) throws OnnxException {
        Value v = graph.input(node, 0);
        if (v instanceof Data x && x.axes().size() == 3 && x.axes().get(2).kind() == Axis.Kind.FEATURES) {
            Axis.Kind first = x.axes().get(0).kind();
            Axis.Kind second = x.axes().get(1).kind();
            if (first == Axis.Kind.TIME && second == Axis.Kind.BATCH) {
                return x;
            }
            if (first == Axis.Kind.BATCH && second == Axis.Kind.TIME) {
                throw new GraphInterpreter.LayoutMismatch(node.describe() + ": reads its input X batch first; layout 0 needs"
                        + " [time, batch, features]");
            }
        }
        throw fail(node, "X should be the model's sequences [time, batch, features], got " + GraphInterpreter.describe(v));
    }

    private static OnnxTensor weightsTensor(OnnxNode node, GraphInterpreter graph, int index) throws OnnxException {
        Value v = graph.input(node, index);
        if (!(v instanceof Constant c)) {
            throw fail(node, "input " + index + " should be constant weights, got " + GraphInterpreter.describe(v));
        }
        return c.tensor();
    }

    /** The activation of an RNN node (its {@code activations}, the same in every direction); the defaults for LSTM and GRU. */
    private static Activation activation(OnnxNode node, CellType type, int directions) throws OnnxException {
        List<String> given = Nodes.stringsAttribute(node, "activations");
        List<String> defaults = type == CellType.LSTM ? List.of("sigmoid", "tanh", "tanh")
                : type == CellType.GRU ? List.of("sigmoid", "tanh") : List.of("tanh");
        if (given == null) {
            if (node.attribute("activation_alpha") != null || node.attribute("activation_beta") != null) {
                throw fail(node, "activation_alpha and activation_beta are only read for the Affine activation");
            }
            return Activation.TANH;
        }
        int per = defaults.size();
        if (given.size() != per * directions) {
            throw fail(node, "activations " + given + ": expected " + per * directions + " (" + per + " per direction)");
        }
        List<String> lower = new ArrayList<>();
        for (String a : given) {
            lower.add(a.toLowerCase(java.util.Locale.ROOT));
        }
        for (int dir = 1; dir < directions; dir++) {
            if (!lower.subList(dir * per, dir * per + per).equals(lower.subList(0, per))) {
                throw fail(node, "activations " + given + " differ between the directions; Unroll's are the same");
            }
        }
        if (type != CellType.RNN) {
            if (!lower.subList(0, per).equals(defaults)) {
                throw fail(node, "activations " + given + " are not supported: Unroll's " + type.id() + " uses " + defaults);
            }
            return Activation.TANH;
        }
        Activation a = switch (lower.get(0)) {
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "affine" -> Activation.IDENTITY;
            default -> throw fail(node, "activation " + given.get(0) + " is not supported (Tanh, Relu, Sigmoid, or Affine as the identity)");
        };
        float[] alpha = Nodes.floatsAttribute(node, "activation_alpha");
        float[] beta = Nodes.floatsAttribute(node, "activation_beta");
        if (a == Activation.IDENTITY) {
            if (!allEqual(alpha, 1f, directions) || !allEqual(beta, 0f, directions)) {
                throw fail(node, "Affine is supported as the identity only: activation_alpha 1 and activation_beta 0 per direction");
            }
        } else if (alpha != null || beta != null) {
            throw fail(node, "activation_alpha and activation_beta are only read for the Affine activation");
        }
        return a;
    }

    private static boolean allEqual(float[] values, float expected, int count) {
        if (values == null || values.length != count) {
            return false;
        }
        for (float v : values) {
            if (v != expected) {
                return false;
            }
        }
        return true;
    }

    /** An initial state must be absent, zeros {@code [D, batch, H]}, or a graph input (the state a runtime carries). */
    private static void checkInitialState(OnnxNode node, GraphInterpreter graph, int index, String name, int d, Axis batch, long h)
            throws OnnxException {
        Value v = graph.optionalInput(node, index);
        if (v == null || v instanceof InitialState) {
            return;
        }
        List<Int> shape = null;
        if (v instanceof Zeros z) {
            shape = z.shape();
        } else if (v instanceof Constant c && c.tensor().isFloating() && GlueNodes.allZero(c.tensor())) {
            shape = new ArrayList<>();
            for (long dim : c.tensor().dims()) {
                shape.add(Int.of(dim));
            }
        }
        boolean fits = shape != null && shape.size() == 3 && shape.get(0).equals(Int.of(d)) && shape.get(1).isSizeOf(batch)
                && shape.get(2).equals(Int.of(h));
        if (!fits) {
            throw fail(node, name + " should be zeros [" + d + ", batch, " + h + "] or a graph input, got " + GraphInterpreter.describe(v)
                    + "; an imported model starts from zero states");
        }
    }
}
