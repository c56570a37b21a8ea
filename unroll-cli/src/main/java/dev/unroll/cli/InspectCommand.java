package dev.unroll.cli;

import dev.unroll.forecast.ForecastTask;
import dev.unroll.forecast.Forecaster;
import dev.unroll.infer.Predictor;
import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensors;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code unroll inspect FILE}: what a checkpoint holds — the architecture its configuration describes,
 * every parameter with its shape and size, and the totals.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Show what a checkpoint holds: the model's architecture, every parameter's name, shape and count, and"
                + " the totals; and how long loading it takes (reading and checking the file, building the predictor"
                + " that unroll serve runs).",
            "",
            "Works on any Unroll checkpoint (.safetensors); a safetensors file without Unroll's model configuration"
                + " (e.g. a PyTorch state_dict) is listed tensor by tensor. An ONNX file (.onnx) is summarised as a"
                + " graph: opset, inputs and outputs with their dimensions, nodes, metadata, and the Unroll model it"
                + " imports as. The last line printed is parameters=<count>.",
            ""})
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "FILE", description = "The checkpoint (.safetensors) or an ONNX file (.onnx).")
    Path file;

    /** Characters of a metadata value shown; fitted preprocessing of many series runs to megabytes. */
    private static final int METADATA_SHOWN = 300;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = main.console().out();
        if (SavedModel.isOnnx(Inputs.file(file))) {
            OnnxInspection.print(out, file, task());
            return 0;
        }
        SafeTensors.Contents contents = SafeTensors.read(Inputs.file(file));
        Map<String, String> metadata = contents.metadata();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        out.println("file: " + file + " (" + Format.count(Files.size(file)) + " bytes)");
        if (metadata.containsKey(Checkpoint.MODEL_KEY)) {
            long start = System.nanoTime();
            Checkpoint.Loaded loaded = Checkpoint.read(file);
            double read = (System.nanoTime() - start) / 1e9;
            Layer model = loaded.model();
            out.println("model: " + model);
            if (metadata.containsKey(ForecastTask.METADATA_KEY)) {
                Forecaster forecaster = Forecaster.of(loaded, file.toString());
                SeriesPreprocessing p = forecaster.preprocessing();
                SeriesPreprocessing.Settings s = p.settings();
                out.println("task: table forecaster of " + String.join(", ", s.targets()) + ": "
                        + TableForecast.describe(forecaster.task(), s.season())
                        + (s.features().isEmpty() ? "" : "; features known for the horizon: " + String.join(", ", s.features()))
                        + " (unroll predict --model " + file.getFileName() + " --csv FILE)");
                out.println("preprocessing: " + TableForecast.describe(p) + "; fitted on " + Format.count(p.seriesIds().size())
                        + " series");
            } else {
                out.println("task: " + task());
            }
            out.println("load: " + loadTime(loaded, read));
            out.println();
            out.println("layers:");
            if (model instanceof Sequential s) {
                for (int i = 0; i < s.layers().size(); i++) {
                    Layer l = s.layers().get(i);
                    out.println("  " + pad(s.names().get(i), 8) + " " + pad(l.kind(), 10) + " " + settings(l.config()));
                }
            } else {
                out.println("  " + pad(model.kind(), 19) + " " + settings(model.config()));
            }
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                shapes.put(e.getKey(), e.getValue().shape());
            }
        } else {
            out.println("model: none described (no '" + Checkpoint.MODEL_KEY + "' metadata: not saved by Unroll, e.g. a"
                    + " PyTorch state_dict); its tensors:");
            for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
                shapes.put(e.getKey(), e.getValue().shape());
            }
        }
        long total = table(out, shapes);
        List<String> extra = new ArrayList<>();
        metadata.forEach((k, v) -> {
            if (!k.equals(Checkpoint.MODEL_KEY)) {
                extra.add(k + "=" + (v.length() <= METADATA_SHOWN ? v : v.substring(0, METADATA_SHOWN) + "… ("
                        + Format.count(v.length()) + " characters)"));
            }
        });
        if (!extra.isEmpty()) {
            out.println();
            out.println("metadata: " + String.join(", ", extra));
        }
        out.println("parameters=" + total);
        return 0;
    }

    /**
     * How long loading took in this (fresh) JVM: reading and checking the checkpoint, and building
     * the predictor {@code unroll serve} runs, or why it cannot run the model.
     */
    private static String loadTime(Checkpoint.Loaded loaded, double readSeconds) {
        String read = Format.milliseconds(readSeconds) + " to read and check the checkpoint";
        try {
            long start = System.nanoTime();
            Predictor.builder(loaded).build();
            return read + ", " + Format.milliseconds((System.nanoTime() - start) / 1e9) + " to build its predictor";
        } catch (IllegalArgumentException e) {
            return read + "; no predictor (" + e.getMessage() + ")";
        }
    }

    /** What the command line can do with the model. */
    private String task() {
        try {
            SavedModel m = SavedModel.load(file);
            if (m.task() == SavedModel.Task.FORECASTER) {
                return "forecaster: 1 value per step in, a prediction of the next value per step out"
                        + " (unroll predict --csv, unroll generate)";
            }
            return "classifier: " + m.recurrent().inputSize() + " features per step in, " + m.head().outputSize()
                    + " class scores out (unroll predict --images)";
        } catch (IOException e) {
            return "other (not a forecaster or classifier the command line runs)";
        }
    }

    private static long table(PrintWriter out, Map<String, int[]> shapes) {
        int nameWidth = "parameter".length();
        for (String name : shapes.keySet()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        out.println();
        out.println("  " + pad("parameter", nameWidth) + "  " + pad("shape", 12) + "  " + String.format("%10s", "count"));
        long total = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            long count = 1;
            for (int d : e.getValue()) {
                count *= d;
            }
            total += count;
            out.println("  " + pad(e.getKey(), nameWidth) + "  " + pad(Shape.toString(e.getValue()), 12) + "  "
                    + String.format("%10s", Format.count(count)));
        }
        out.println("  " + pad("total (" + shapes.size() + " tensors)", nameWidth + 14) + "  "
                + String.format("%10s", Format.count(total)) + "  (" + Format.count(total * 4) + " bytes as float32)");
        return total;
    }

    private static String settings(Map<String, Object> config) {
        StringBuilder sb = new StringBuilder();
        config.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
