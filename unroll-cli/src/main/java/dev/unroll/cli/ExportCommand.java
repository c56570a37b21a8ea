package dev.unroll.cli;

import dev.unroll.io.Checkpoint;
import dev.unroll.onnx.OnnxExport;
import dev.unroll.onnx.OnnxModel;
import dev.unroll.onnx.OnnxValueInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code unroll export --model M.safetensors --onnx M.onnx}: writes a saved model as an ONNX file
 * that ONNX Runtime runs with the same numbers (see {@code docs/onnx.md}).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write a saved model as an ONNX file (opset 17) for ONNX Runtime and other ONNX runtimes.",
            "",
            "Each recurrent layer becomes ONNX RNN/LSTM/GRU nodes, dense and normalization layers their ONNX"
                + " operators; the input is [batch, time, features] with free batch and time. The model's configuration"
                + " and metadata (e.g. a forecaster's window and scaling) go into the file's metadata_props, so"
                + " unroll predict and unroll inspect read the .onnx file as they read the checkpoint. The file is"
                + " written atomically. The last line printed is nodes=<count>.",
            ""})
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "The model: an Unroll checkpoint (.safetensors), or an ONNX file to convert.")
    Path modelFile;

    @Option(names = "--onnx", paramLabel = "FILE", required = true, description = "The ONNX file to write.")
    Path onnxFile;

    @Option(names = "--lengths",
            description = "Add an int32 input 'lengths' [batch]: each sequence's number of steps (outputs are zero past it).")
    boolean lengths;

    @Option(names = "--states",
            description = "Add initial-state inputs and final-state outputs for every recurrent node, to run a sequence chunk by"
                    + " chunk.")
    boolean states;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = main.console().out();
        Checkpoint.Loaded contents = SavedModel.read(modelFile);
        Map<String, String> extra = new LinkedHashMap<>(contents.metadata());
        extra.remove(Checkpoint.MODEL_KEY);
        extra.remove(Checkpoint.FORMAT_KEY);
        new Outputs().file(onnxFile, "--onnx");
        OnnxModel onnx = OnnxExport.toModel(contents.model(), new OnnxExport.Options(lengths, states), extra);
        onnx.write(onnxFile);
        out.println("model: " + contents.model());
        out.println("onnx: " + onnxFile + " (" + Format.count(Files.size(onnxFile)) + " bytes), opset " + onnx.onnxOpset()
                + ", IR version " + onnx.irVersion());
        out.println("inputs: " + signature(onnx.runtimeInputs()));
        out.println("outputs: " + signature(onnx.graph().outputs()));
        out.println("nodes=" + onnx.graph().nodes().size());
        return 0;
    }

    /** {@code input float[batch, time, 3], lengths int32[batch]}. */
    static String signature(List<OnnxValueInfo> values) {
        List<String> parts = new ArrayList<>();
        for (OnnxValueInfo v : values) {
            parts.add(v.name() + " " + v.describeType());
        }
        return String.join(", ", parts);
    }
}
