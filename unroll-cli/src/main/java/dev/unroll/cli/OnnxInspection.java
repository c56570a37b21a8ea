package dev.unroll.cli;

import dev.unroll.io.Checkpoint;
import dev.unroll.onnx.OnnxException;
import dev.unroll.onnx.OnnxImport;
import dev.unroll.onnx.OnnxModel;
import dev.unroll.onnx.OnnxNode;
import dev.unroll.onnx.OnnxTensor;
import dev.unroll.onnx.OnnxValueInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code unroll inspect} prints for an ONNX file: the format and opset, the inputs and outputs
 * with their symbolic dimensions, every node, the metadata, and the Unroll model the file imports
 * as (or why it does not). The last line is {@code parameters=<count>}: the elements of the float
 * initializers, the weights (for a file Unroll exported, the model's parameter count).
 */
final class OnnxInspection {
    private OnnxInspection() {
    }

    static void print(PrintWriter out, Path file, String task) throws IOException {
        OnnxModel onnx = OnnxModel.read(file);
        out.println("file: " + file + " (" + Format.count(Files.size(file)) + " bytes)");
        out.println("format: ONNX, IR version " + onnx.irVersion() + ", opsets " + opsets(onnx.opsets()) + ", produced by "
                + (onnx.producerName().isEmpty() ? "(unknown)" : (onnx.producerName() + " " + onnx.producerVersion()).trim()));
        String model;
        try {
            OnnxImport.ImportedModel imported = OnnxImport.fromModel(onnx);
            model = imported.model() + (imported.timeFirstInput() ? " (the graph reads its sequences time first; the imported"
                    + " model reads them batch first)" : "");
        } catch (OnnxException e) {
            model = "not importable: " + e.getMessage();
        }
        out.println("model: " + model);
        out.println("task: " + task);
        out.println();
        out.println("inputs:");
        values(out, onnx.runtimeInputs());
        out.println("outputs:");
        values(out, onnx.graph().outputs());
        out.println();
        out.println("nodes (" + onnx.graph().nodes().size() + "):");
        int typeWidth = 4;
        int nameWidth = 4;
        for (OnnxNode n : onnx.graph().nodes()) {
            typeWidth = Math.max(typeWidth, n.opType().length());
            nameWidth = Math.max(nameWidth, n.name().length());
        }
        for (OnnxNode n : onnx.graph().nodes()) {
            out.println("  " + pad(n.opType(), typeWidth) + "  " + pad(n.name(), nameWidth) + "  (" + String.join(", ", n.inputs()) + ") -> ("
                    + String.join(", ", n.outputs()) + ")");
        }
        long parameters = 0;
        int weights = 0;
        for (OnnxTensor t : onnx.graph().initializers()) {
            if (t.isFloating()) {
                parameters += t.elementCount();
                weights++;
            }
        }
        out.println();
        out.println("weights: " + weights + " float initializers, " + Format.count(parameters) + " values");
        List<String> metadata = new ArrayList<>();
        onnx.metadata().forEach((k, v) -> {
            if (!k.equals(Checkpoint.MODEL_KEY)) {
                metadata.add(k + "=" + v);
            }
        });
        if (!metadata.isEmpty()) {
            out.println("metadata: " + String.join(", ", metadata));
        }
        out.println("parameters=" + parameters);
    }

    private static String opsets(Map<String, Long> opsets) {
        List<String> parts = new ArrayList<>();
        opsets.forEach((domain, version) -> parts.add((domain.isEmpty() ? "ai.onnx" : domain) + " " + version));
        return String.join(", ", parts);
    }

    private static void values(PrintWriter out, List<OnnxValueInfo> values) {
        int width = 4;
        int typeWidth = 4;
        for (OnnxValueInfo v : values) {
            width = Math.max(width, v.name().length());
            typeWidth = Math.max(typeWidth, v.describeType().length());
        }
        for (OnnxValueInfo v : values) {
            out.println(("  " + pad(v.name(), width) + "  " + pad(v.describeType(), typeWidth) + "  " + v.doc()).stripTrailing());
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
