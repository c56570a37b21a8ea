package dev.unroll.onnx;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Embedding;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an Unroll model as an ONNX graph that ONNX Runtime (or any ONNX runtime) runs with the
 * same numbers. The mapping, layer by layer (details in {@code docs/onnx.md}):
 *
 * <pre>
 *   input    [batch, time, features] float32, batch and time symbolic
 *   lengths  [batch] int32 (optional): each sequence's length, wired to every node's sequence_lens
 *   Recurrent   one ONNX RNN / LSTM / GRU node per stacked layer, layout 0 ([time, batch, ·]), with a
 *               Transpose where the model's batch-first data meets them; weights W [D, G·H, I],
 *               R [D, G·H, H], B [D, 2·G·H] with the gates reordered (see {@link GateOrder}); GRU with
 *               linear_before_reset = 1 (PyTorch's and Unroll's candidate r ⊙ (W_hn·h + b_hn));
 *               Y [T, D, B, H] → Squeeze (D = 1) or Transpose + Reshape [0, 0, −1] (D = 2) → [T, B, D·H];
 *               returnSequences(false): the last node's Y_h [D, B, H] → [B, D·H]
 *   Embedding   (first) the input [batch, time, 1] of ids as floats: Cast to int64, Squeeze axis 2, Gather
 *               of the table's rows (axis 0) → [batch, time, dim]
 *   Dense       MatMul by weightᵀ, Add bias, then Tanh / Relu / Sigmoid if it has an activation
 *   LayerNormalization   LayerNormalization (axis −1, its ε), then, with lengths, a Mul by the mask
 *               of valid steps (Unroll's layer outputs zeros past each length)
 *   DropoutLayer         Identity (dropout is inactive at inference)
 *   output   [batch, time, F] or [batch, F]
 * </pre>
 *
 * <p>With {@link Options#states()}, every recurrent node also gets the inputs
 * {@code <layer>.initial_h_l<k>} (and {@code initial_c} for LSTM) {@code [D, batch, H]} and the
 * outputs {@code <layer>.final_h_l<k>} (and {@code final_c}), so a runtime can run a long sequence
 * chunk by chunk, feeding each chunk's final states as the next chunk's initial states. No
 * constant in the graph holds the batch size or the number of steps: one session runs any.
 *
 * <p>Opset 17 ({@link #OPSET}), IR version 8; the model's configuration ({@code unroll.model}) and
 * any extra metadata go to {@code metadata_props}.
 */
public final class OnnxExport {
    /** The ONNX operator set the files use: 17 is the first with LayerNormalization. */
    public static final int OPSET = 17;
    /** The IR version of opset 17 (ONNX 1.12). */
    public static final long IR_VERSION = 8;
    public static final String INPUT = "input";
    public static final String LENGTHS = "lengths";
    public static final String OUTPUT = "output";
    static final String BATCH = "batch";
    static final String TIME = "time";
    private static final String FORMAT = "1";

    /**
     * What the graph offers besides {@code input → output}.
     *
     * @param lengths an int32 input {@code lengths [batch]}: the sequences' lengths
     * @param states  initial-state inputs and final-state outputs for every recurrent node
     */
    public record Options(boolean lengths, boolean states) {
        /** Just {@code input → output}. */
        public static final Options PLAIN = new Options(false, false);
    }

    /** Where the data is on its way through the graph. */
    private enum Layout {
        /** [batch, time, features], Unroll's layout. */
        BATCH_MAJOR,
        /** [time, batch, features], what the recurrent nodes read and write (layout 0). */
        TIME_MAJOR,
        /** [batch, features], after a layer that outputs only its final state. */
        VECTOR
    }

    private final GraphBuilder graph = new GraphBuilder();
    private final Options options;
    private final Map<Layout, String> masks = new EnumMap<>(Layout.class);
    /** The final-state outputs, which follow the model's output. */
    private final List<OnnxValueInfo> stateOutputs = new ArrayList<>();
    private String current = INPUT;
    private Layout layout = Layout.BATCH_MAJOR;
    /** Features of the data at {@link #current}. */
    private int features;

    private OnnxExport(Options options) {
        this.options = options;
    }

    /**
     * The ONNX model of {@code model}.
     *
     * @param extraMetadata more {@code metadata_props} (e.g. an application's preprocessing); keys
     *                      {@code unroll.model} and {@code unroll.format} are Unroll's
     * @throws IllegalArgumentException if a layer cannot be exported or the layers do not fit together
     */
    public static OnnxModel toModel(Layer model, Options options, Map<String, String> extraMetadata) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Checkpoint.FORMAT_KEY, FORMAT);
        metadata.put(Checkpoint.MODEL_KEY, Checkpoint.describe(model));
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (metadata.containsKey(e.getKey())) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is reserved for the model description");
            }
            metadata.put(e.getKey(), e.getValue());
        }
        OnnxExport export = new OnnxExport(options);
        OnnxGraph graph = export.graph(model);
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        return new OnnxModel(IR_VERSION, Map.of("", (long) OPSET), "unroll", version == null ? "development" : version, graph, metadata);
    }

    /** Writes {@code model} to an {@code .onnx} file, atomically. */
    public static void write(Layer model, Path file, Options options, Map<String, String> extraMetadata) throws IOException {
        toModel(model, options, extraMetadata).write(file);
    }

    private OnnxGraph graph(Layer model) {
        List<Map.Entry<String, Layer>> layers = new ArrayList<>();
        flatten("", model, layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("ONNX export: the model has no layers");
        }
        features = inputSize(layers.get(0).getValue());
        graph.input(OnnxValueInfo.tensor(INPUT, OnnxTensor.DataType.FLOAT,
                List.of(OnnxValueInfo.Dim.symbol(BATCH), OnnxValueInfo.Dim.symbol(TIME), OnnxValueInfo.Dim.of(features)),
                "the sequences, batch first, float32"));
        if (options.lengths()) {
            graph.input(OnnxValueInfo.tensor(LENGTHS, OnnxTensor.DataType.INT32, List.of(OnnxValueInfo.Dim.symbol(BATCH)),
                    "each sequence's number of steps, in [1, time]: outputs are zero past it and final states are those of"
                            + " its last step"));
        }
        for (Map.Entry<String, Layer> e : layers) {
            String name = e.getKey();
            Layer layer = e.getValue();
            if (layer instanceof Recurrent r) {
                recurrent(name, r);
            } else if (layer instanceof Embedding emb) {
                embedding(name, emb);
            } else if (layer instanceof Dense d) {
                dense(name, d);
            } else if (layer instanceof LayerNormalization n) {
                normalization(name, n);
            } else if (layer instanceof DropoutLayer) {
                current = graph.node1("Identity", name, List.of(current));
            } else {
                throw new IllegalArgumentException("ONNX export: layer " + name + " (" + layer + ", kind " + layer.kind()
                        + ") has no ONNX mapping; supported: embedding, recurrent, dense, layer_norm, dropout, sequential");
            }
        }
        if (layout == Layout.TIME_MAJOR) {
            swapBatchAndTime();
        }
        graph.renameOutput(current, OUTPUT);
        List<OnnxValueInfo.Dim> shape = layout == Layout.VECTOR
                ? List.of(OnnxValueInfo.Dim.symbol(BATCH), OnnxValueInfo.Dim.of(features))
                : List.of(OnnxValueInfo.Dim.symbol(BATCH), OnnxValueInfo.Dim.symbol(TIME), OnnxValueInfo.Dim.of(features));
        graph.output(OnnxValueInfo.tensor(OUTPUT, OnnxTensor.DataType.FLOAT, shape, "the model's output"));
        stateOutputs.forEach(graph::output);
        return graph.build("unroll", "Exported by Unroll: " + model);
    }

    /** The layers in order with their names; nested sequential models are flattened ({@code outer.inner}). */
    private static void flatten(String prefix, Layer layer, List<Map.Entry<String, Layer>> into) {
        if (layer instanceof Sequential s) {
            for (int i = 0; i < s.layers().size(); i++) {
                flatten(prefix + s.names().get(i) + ".", s.layers().get(i), into);
            }
        } else {
            // A lone layer gets the name a sequential model would give it.
            String name = prefix.isEmpty() ? Sequential.of(layer).names().get(0) : prefix.substring(0, prefix.length() - 1);
            into.add(Map.entry(name, layer));
        }
    }

    private static int inputSize(Layer first) {
        if (first instanceof Embedding) {
            return 1;
        }
        if (first instanceof Recurrent r) {
            return r.inputSize();
        }
        if (first instanceof Dense d) {
            return d.inputSize();
        }
        if (first instanceof LayerNormalization n) {
            return n.features();
        }
        throw new IllegalArgumentException("ONNX export: the first layer (" + first + ") does not fix the number of input features;"
                + " the model must start with a recurrent, dense or normalization layer");
    }

    private void requireFeatures(String name, int expected) {
        if (features != expected) {
            throw new IllegalArgumentException("ONNX export: layer " + name + " reads " + expected + " features, the layer before"
                    + " outputs " + features);
        }
    }

    // ------------------------------------------------------------------ recurrent layers

    private void recurrent(String name, Recurrent r) {
        requireFeatures(name, r.inputSize());
        if (layout == Layout.VECTOR) {
            throw new IllegalArgumentException("ONNX export: recurrent layer " + name + " needs sequences [batch, time, features],"
                    + " but the layer before outputs one vector per sequence [batch, " + features + "]");
        }
        if (layout == Layout.BATCH_MAJOR) {
            swapBatchAndTime();
        }
        CellType type = r.type();
        int d = r.directions();
        int h = r.hiddenSize();
        int g = type.gates;
        for (int l = 0; l < r.layers(); l++) {
            boolean last = l == r.layers() - 1;
            boolean outputsSequence = !last || r.returnSequences();
            boolean finalStateUsed = options.states() || last && !r.returnSequences();
            int in = l == 0 ? r.inputSize() : d * h;
            float[] w = new float[d * g * h * in];
            float[] rec = new float[d * g * h * h];
            float[] b = new float[d * 2 * g * h];
            for (int dir = 0; dir < d; dir++) {
                RecurrentCell cell = r.cell(l, dir);
                reorder(type, cell.weightIh().value(), h, in, w, dir * g * h * in);
                reorder(type, cell.weightHh().value(), h, h, rec, dir * g * h * h);
                reorder(type, cell.biasIh().value(), h, 1, b, dir * 2 * g * h);
                reorder(type, cell.biasHh().value(), h, 1, b, dir * 2 * g * h + g * h);
            }
            String suffix = "_l" + l;
            String wName = graph.initializer(OnnxTensor.ofFloats(name + ".W" + suffix, w, d, (long) g * h, in));
            String rName = graph.initializer(OnnxTensor.ofFloats(name + ".R" + suffix, rec, d, (long) g * h, h));
            String bName = graph.initializer(OnnxTensor.ofFloats(name + ".B" + suffix, b, d, 2L * g * h));
            boolean lstm = type == CellType.LSTM;
            List<String> inputs = new ArrayList<>(List.of(current, wName, rName, bName, options.lengths() ? LENGTHS : ""));
            if (options.states()) {
                inputs.add(stateInput(name + ".initial_h" + suffix, d, h, "h"));
                if (lstm) {
                    inputs.add(stateInput(name + ".initial_c" + suffix, d, h, "c"));
                }
            }
            String y = outputsSequence ? name + ".y" + suffix : "";
            String yh = finalStateUsed ? name + (options.states() ? ".final_h" : ".h") + suffix : "";
            String yc = lstm && options.states() ? name + ".final_c" + suffix : "";
            List<String> out = new ArrayList<>(List.of(y, yh, yc));
            while (out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            graph.nodeWithOutputs(type.name(), name + "/" + type.id() + suffix, inputs, out, attributes(r));
            if (options.states()) {
                stateOutput(yh, d, h, "h");
                if (lstm) {
                    stateOutput(yc, d, h, "c");
                }
            }
            if (outputsSequence) {
                current = d == 1
                        ? graph.node1("Squeeze", name + "/outputs" + suffix, List.of(y, graph.longs("axes_1", false, 1)))
                        : mergeDirections(name + "/outputs" + suffix, y, new long[] {0, 2, 1, 3}, 0, 0, -1);
            } else {
                current = d == 1
                        ? graph.node1("Squeeze", name + "/final_state", List.of(yh, graph.longs("axes_0", false, 0)))
                        : mergeDirections(name + "/final_state", yh, new long[] {1, 0, 2}, 0, -1);
                layout = Layout.VECTOR;
            }
            features = d * h;
        }
    }

    /** Moves the directions axis next to the features (Transpose), then joins the two (Reshape): forward, then backward features. */
    private String mergeDirections(String name, String value, long[] perm, long... shape) {
        String moved = graph.node1("Transpose", name + "/transpose", List.of(value), OnnxAttribute.ofInts("perm", perm));
        String target = graph.longs(shape.length == 3 ? "merge_directions_of_steps" : "merge_directions_of_state", false, shape);
        return graph.node1("Reshape", name, List.of(moved, target));
    }

    private static OnnxAttribute[] attributes(Recurrent r) {
        List<OnnxAttribute> a = new ArrayList<>();
        a.add(OnnxAttribute.ofInt("hidden_size", r.hiddenSize()));
        a.add(OnnxAttribute.ofString("direction", r.bidirectional() ? "bidirectional" : "forward"));
        if (r.type() == CellType.GRU) {
            a.add(OnnxAttribute.ofInt("linear_before_reset", 1));
        }
        if (r.type() == CellType.RNN) {
            String op = RnnActivations.onnxName(r.activation());
            a.add(OnnxAttribute.ofStrings("activations", r.bidirectional() ? List.of(op, op) : List.of(op)));
            if (r.activation() == Activation.IDENTITY) {
                // Affine(x) = alpha·x + beta.
                a.add(OnnxAttribute.ofFloats("activation_alpha", r.bidirectional() ? new float[] {1f, 1f} : new float[] {1f}));
                a.add(OnnxAttribute.ofFloats("activation_beta", r.bidirectional() ? new float[] {0f, 0f} : new float[] {0f}));
            }
        }
        return a.toArray(new OnnxAttribute[0]);
    }

    private static void reorder(CellType type, Tensor weights, int hidden, int columns, float[] out, int at) {
        GateOrder.toOnnx(type, weights.data(), weights.offset(), hidden, columns, out, at);
    }

    private String stateInput(String name, int directions, int hidden, String which) {
        graph.input(stateInfo(name, directions, hidden, "the " + which + " state the node starts from (zeros to start a sequence;"
                + " the matching final_" + which + " output to continue one)"));
        return name;
    }

    private void stateOutput(String name, int directions, int hidden, String which) {
        stateOutputs.add(stateInfo(name, directions, hidden, "the " + which + " state after each sequence's last step"));
    }

    private static OnnxValueInfo stateInfo(String name, int directions, int hidden, String doc) {
        return OnnxValueInfo.tensor(name, OnnxTensor.DataType.FLOAT,
                List.of(OnnxValueInfo.Dim.of(directions), OnnxValueInfo.Dim.symbol(BATCH), OnnxValueInfo.Dim.of(hidden)), doc);
    }

    private void swapBatchAndTime() {
        current = graph.node1("Transpose", layout == Layout.BATCH_MAJOR ? "to_time_major" : "to_batch_major", List.of(current),
                OnnxAttribute.ofInts("perm", 1, 0, 2));
        layout = layout == Layout.BATCH_MAJOR ? Layout.TIME_MAJOR : Layout.BATCH_MAJOR;
    }

    // ------------------------------------------------------------------ dense and normalization

    private void dense(String name, Dense d) {
        requireFeatures(name, d.inputSize());
        int in = d.inputSize();
        int out = d.outputSize();
        Tensor w = d.weight().value();
        float[] transposed = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = w.data()[w.offset() + o * in + i];
            }
        }
        String wt = graph.initializer(OnnxTensor.ofFloats(name + ".weight_t", transposed, in, out));
        String bias = graph.initializer(OnnxTensor.ofFloats(name + ".bias", d.bias().value().toArray(), out));
        String y = graph.node1("MatMul", name + "/matmul", List.of(current, wt));
        y = graph.node1("Add", name + "/bias", List.of(y, bias));
        if (d.activation() != Activation.IDENTITY) {
            y = graph.node1(RnnActivations.onnxName(d.activation()), name + "/" + d.activation().id(), List.of(y));
        }
        current = y;
        features = out;
    }

    /** ONNX's INT64 element type (TensorProto.DataType), Cast's {@code to}. */
    private static final long INT64 = 7;

    private void embedding(String name, Embedding e) {
        if (layout != Layout.BATCH_MAJOR || !current.equals(INPUT)) {
            throw new IllegalArgumentException("ONNX export: the embedding " + name + " must be the model's first layer");
        }
        requireFeatures(name, 1);
        String table = graph.initializer(OnnxTensor.ofFloats(name + ".weight", e.weight().value().toArray(), e.vocabulary(), e.dim()));
        String ids = graph.node1("Cast", name + "/ids", List.of(current), OnnxAttribute.ofInt("to", INT64));
        ids = graph.node1("Squeeze", name + "/squeeze", List.of(ids, graph.longs("axes_2", false, 2)));
        current = graph.node1("Gather", name, List.of(table, ids), OnnxAttribute.ofInt("axis", 0));
        features = e.dim();
    }

    private void normalization(String name, LayerNormalization n) {
        requireFeatures(name, n.features());
        String scale = graph.initializer(OnnxTensor.ofFloats(name + ".weight", n.weight().value().toArray(), n.features()));
        String bias = graph.initializer(OnnxTensor.ofFloats(name + ".bias", n.bias().value().toArray(), n.features()));
        String y = graph.node1("LayerNormalization", name, List.of(current, scale, bias), OnnxAttribute.ofInt("axis", -1),
                OnnxAttribute.ofFloat("epsilon", n.eps()));
        if (options.lengths() && layout != Layout.VECTOR) {
            y = graph.node1("Mul", name + "/zero_past_lengths", List.of(y, mask()));
        }
        current = y;
        features = n.features();
    }

    /**
     * {@code [batch, time, 1]} (or {@code [time, batch, 1]}) float: 1 at the steps before each
     * sequence's length, 0 after — {@code Range(0, time) < lengths}, with time read from the input's
     * shape.
     */
    private String mask() {
        return masks.computeIfAbsent(layout, l -> {
            String shape = graph.node1("Shape", "mask/input_shape", List.of(INPUT));
            String steps = graph.node1("Gather", "mask/steps", List.of(shape, graph.longs("time_axis", true, 1)),
                    OnnxAttribute.ofInt("axis", 0));
            String range = graph.node1("Range", "mask/step_index", List.of(graph.longs("zero", true, 0), steps, graph.longs("one", true, 1)));
            String lengths = graph.node1("Cast", "mask/lengths", List.of(LENGTHS), OnnxAttribute.ofInt("to", OnnxTensor.DataType.INT64.code));
            String axis1 = graph.longs("axes_1", false, 1);
            String valid = l == Layout.BATCH_MAJOR
                    ? graph.node1("Less", "mask/valid", List.of(range, graph.node1("Unsqueeze", "mask/lengths_column", List.of(lengths, axis1))))
                    : graph.node1("Less", "mask/valid", List.of(graph.node1("Unsqueeze", "mask/step_column", List.of(range, axis1)), lengths));
            String asFloat = graph.node1("Cast", "mask/float", List.of(valid), OnnxAttribute.ofInt("to", OnnxTensor.DataType.FLOAT.code));
            return graph.node1("Unsqueeze", "mask", List.of(asFloat, graph.longs("axes_2", false, 2)));
        });
    }
}
