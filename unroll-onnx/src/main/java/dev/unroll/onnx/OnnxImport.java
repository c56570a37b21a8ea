package dev.unroll.onnx;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX file as an Unroll model: the recurrent ({@code RNN}/{@code LSTM}/{@code GRU}),
 * dense and normalization layers the graph computes, as PyTorch's exporter and Unroll's write them
 * (see {@link GraphInterpreter} for the operators read, {@link RecurrentNodes} for the attributes).
 * The result is a {@link Sequential} that reads batch-first sequences, whatever the ONNX graph
 * reads: {@link ImportedModel#timeFirstInput()} says when the graph read {@code [time, batch, ·]}
 * (PyTorch's {@code batch_first=False}).
 *
 * <p>A file Unroll exported carries its model's description in {@code metadata_props}
 * ({@code unroll.model}); the import then rebuilds that model — same layer names, same dropout
 * settings, same kinds as saved — after checking that it computes what the graph computes, and
 * loads the graph's weights into it: the round trip gives the same configuration and the same bits.
 *
 * <p>Every problem, from corrupt bytes to an unsupported operator, is an {@link OnnxException}
 * with a message naming it.
 */
public final class OnnxImport {
    private OnnxImport() {
    }

    /**
     * A model read from ONNX.
     *
     * @param model           the model; it reads {@code [batch, time, features]} (or {@code [batch, features]})
     * @param timeFirstInput  true if the ONNX graph read its sequences time first, {@code [time, batch, features]}
     * @param timeFirstOutput true if the ONNX graph output {@code [time, batch, ·]} (the model outputs batch first)
     * @param metadata        the file's {@code metadata_props}
     */
    public record ImportedModel(Layer model, boolean timeFirstInput, boolean timeFirstOutput, Map<String, String> metadata) {
    }

    /** Reads and imports an {@code .onnx} file. */
    public static ImportedModel read(Path file) throws IOException {
        OnnxModel model = OnnxModel.read(file);
        try {
            return fromModel(model);
        } catch (OnnxException e) {
            throw new OnnxException(file + ": " + e.getMessage());
        }
    }

    /** Parses and imports an {@code .onnx} file's bytes. */
    public static ImportedModel read(byte[] bytes) throws OnnxException {
        return fromModel(OnnxModel.read(bytes));
    }

    /** Imports a parsed ONNX model. */
    public static ImportedModel fromModel(OnnxModel model) throws OnnxException {
        GraphInterpreter.Result result;
        try {
            result = GraphInterpreter.run(model, false);
        } catch (GraphInterpreter.LayoutMismatch batchFirst) {
            try {
                result = GraphInterpreter.run(model, true);
            } catch (GraphInterpreter.LayoutMismatch timeFirst) {
                throw batchFirst;
            }
        }
        Sequential computed = new Sequential();
        for (LayerSpec spec : result.chain()) {
            try {
                computed.add(spec.build());
            } catch (IllegalArgumentException e) {
                throw new OnnxException("cannot build an Unroll layer of the graph: " + e.getMessage());
            }
        }
        String description = model.metadata().get(Checkpoint.MODEL_KEY);
        Layer layer = description == null ? computed : described(description, computed);
        return new ImportedModel(layer, result.inputAxes().get(0).kind() == Axis.Kind.TIME,
                result.outputAxes().get(0).kind() == Axis.Kind.TIME, model.metadata());
    }

    /** The model {@code unroll.model} describes, with the graph's weights, if it computes what the graph computes. */
    private static Layer described(String description, Sequential computed) throws OnnxException {
        Layer model;
        try {
            model = Checkpoint.fromDescription(description, computed.parameterCount());
        } catch (IllegalArgumentException e) {
            throw new OnnxException("metadata " + Checkpoint.MODEL_KEY + " is not a valid model description: " + e.getMessage());
        }
        List<String> saved = computation(model);
        List<String> graph = computation(computed);
        if (!saved.equals(graph)) {
            throw new OnnxException("metadata " + Checkpoint.MODEL_KEY + " describes " + model + ", which computes " + saved
                    + ", but the graph computes " + graph);
        }
        List<Parameter> to = model.parameters();
        List<Parameter> from = computed.parameters();
        for (int i = 0; i < to.size(); i++) {
            to.get(i).load(from.get(i).value());
        }
        return model;
    }

    /**
     * What a model computes at inference, layer by layer, one entry per stacked recurrent layer
     * (dropout does nothing then, and a stack may be one layer or several): equal lists mean the
     * same computation with parameters in the same order.
     */
    private static List<String> computation(Layer layer) {
        List<String> steps = new ArrayList<>();
        addComputation(layer, steps);
        return steps;
    }

    private static void addComputation(Layer layer, List<String> steps) {
        if (layer instanceof Sequential s) {
            for (Layer l : s.layers()) {
                addComputation(l, steps);
            }
        } else if (layer instanceof Recurrent r) {
            for (int k = 0; k < r.layers(); k++) {
                steps.add(r.type().id() + (r.type() == CellType.RNN ? " " + r.activation().id() : "") + " "
                        + (k == 0 ? r.inputSize() : r.outputSize()) + " -> " + r.hiddenSize() + (r.bidirectional() ? " bidirectional" : ""));
            }
            if (!r.returnSequences()) {
                steps.add("final state");
            }
        } else if (layer instanceof Dense d) {
            steps.add("dense " + d.inputSize() + " -> " + d.outputSize() + (d.activation() == Activation.IDENTITY ? "" : " " + d.activation().id()));
        } else if (layer instanceof LayerNormalization n) {
            steps.add("layer_norm " + n.features() + " eps " + n.eps());
        } else if (!(layer instanceof DropoutLayer)) {
            steps.add(layer.kind() + " " + layer.config());
        }
    }
}
