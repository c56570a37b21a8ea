package dev.unroll.cli;

import dev.unroll.infer.Standardization;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.onnx.OnnxImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model checkpoint as the command line uses it: a {@link Checkpoint} (safetensors, the model's
 * configuration in the metadata) plus a few {@code unroll.cli.*} metadata entries that
 * {@code predict} and {@code generate} need besides the weights — the window length a forecaster was
 * trained on and the standardization of its series. PyTorch and {@link Checkpoint#load} ignore them.
 * An ONNX file works too: {@code unroll export} copies those entries into its
 * {@code metadata_props}, and a model from elsewhere (PyTorch) runs with the defaults.
 *
 * <p>The command line runs two shapes of model, recognised from the configuration:
 * <ul>
 *   <li>a <b>forecaster</b> (seed §12): recurrent layer(s) over 1 value per step returning every
 *       step, then a dense projection to 1 value per step;</li>
 *   <li>a <b>classifier</b> (seed §10): recurrent layer(s) returning the final state, then a dense
 *       layer to the class scores.</li>
 * </ul>
 *
 * @param file      where it was loaded from
 * @param model     the model
 * @param recurrent its first layer
 * @param head      its last layer
 * @param task      forecaster or classifier
 * @param metadata  the checkpoint's metadata
 */
record SavedModel(Path file, Sequential model, Recurrent recurrent, Dense head, Task task, Map<String, String> metadata) {
    static final String TASK = "unroll.cli.task";
    static final String WINDOW = Standardization.WINDOW_KEY;
    static final String MEAN = Standardization.MEAN_KEY;
    static final String STD = Standardization.STD_KEY;
    static final String SERIES = "unroll.cli.series";
    static final String SERIES_GENERATED = "generated";

    enum Task {
        FORECASTER("forecaster"),
        CLASSIFIER("classifier");

        final String id;

        Task(String id) {
            this.id = id;
        }
    }

    /** Saves {@code model} as a checkpoint with the given {@code unroll.cli.*} entries added to its metadata, atomically. */
    static void save(Layer model, Path file, Map<String, String> extra) throws IOException {
        Checkpoint.save(model, file, extra);
    }

    /**
     * Reads a model file: an Unroll checkpoint ({@code .safetensors}), or an ONNX file
     * ({@code .onnx}, or a file that starts as one) that {@link OnnxImport} imports.
     */
    static Checkpoint.Loaded read(Path file) throws IOException {
        if (isOnnx(Inputs.file(file))) {
            OnnxImport.ImportedModel m = OnnxImport.read(file);
            return new Checkpoint.Loaded(m.model(), m.metadata());
        }
        return Checkpoint.read(file);
    }

    /**
     * True for an {@code .onnx} file name, or contents that start as an ONNX model does (field 1,
     * the IR version: byte 0x08) rather than as a safetensors file (an 8-byte header length, then
     * the header's '{').
     */
    static boolean isOnnx(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return true;
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return n > 0 && head[0] == 0x08 && (n < 9 || head[8] != '{');
    }

    /** Loads a model file and recognises it as a forecaster or a classifier, or says why it is neither. */
    static SavedModel load(Path file) throws IOException {
        return of(file, read(file));
    }

    /** A model file already read, recognised as a forecaster or a classifier. */
    static SavedModel of(Path file, Checkpoint.Loaded loaded) throws IOException {
        Layer layer = loaded.model();
        Map<String, String> metadata = loaded.metadata();
        if (!(layer instanceof Sequential s) || s.layers().isEmpty()) {
            throw new IOException(file + ": a " + layer.kind() + " model; the command line runs sequential models"
                    + " (recurrent layers, then a dense layer)");
        }
        List<Layer> layers = s.layers();
        if (!(layers.get(0) instanceof Recurrent r) || !(layers.get(layers.size() - 1) instanceof Dense d)) {
            throw new IOException(file + ": the model " + s + " does not start with a recurrent layer and end with a dense"
                    + " layer, the shape the command line runs");
        }
        Task task;
        if (r.returnSequences() && r.inputSize() == 1 && d.outputSize() == 1) {
            task = Task.FORECASTER;
        } else if (!r.returnSequences() && d.outputSize() >= 2) {
            task = Task.CLASSIFIER;
        } else {
            throw new IOException(file + ": the model " + s + " is neither a forecaster (1 value per step in, 1 prediction"
                    + " per step out) nor a sequence classifier (final state to 2 or more class scores)");
        }
        return new SavedModel(file, s, r, d, task, metadata);
    }

    /** The longest window a command accepts, from a flag or from a checkpoint's metadata. */
    static final int MAX_WINDOW = 1_000_000;

    /**
     * The window a forecaster was trained on, or {@code fallback} when the checkpoint does not say;
     * a value that is not an integer in {@code [1, MAX_WINDOW]} is an error, as it would be as a flag.
     */
    int window(int fallback) throws IOException {
        String w = metadata.get(WINDOW);
        if (w == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(w.trim());
            if (value >= 1 && value <= MAX_WINDOW) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + ": invalid " + WINDOW + " in the metadata: \"" + dev.unroll.data.CsvReader.excerpt(w)
                + "\" (expected an integer between 1 and " + MAX_WINDOW + ")");
    }

    /** The standardization of a forecaster's series; {@link Standardization#NONE} when the checkpoint has none. */
    Standardization scaling() throws IOException {
        try {
            return Standardization.fromMetadata(metadata).orElse(Standardization.NONE);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** The metadata entries recording a forecaster's window and scaling. */
    static Map<String, String> forecasterMetadata(int window, Standardization scaling, String series) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TASK, Task.FORECASTER.id);
        m.put(WINDOW, Integer.toString(window));
        m.putAll(scaling.metadata());
        m.put(SERIES, series);
        return m;
    }

    /** True when the forecaster was trained on the generated series of seed §11 (or the checkpoint does not say). */
    boolean trainedOnGeneratedSeries() {
        return SERIES_GENERATED.equals(metadata.getOrDefault(SERIES, SERIES_GENERATED));
    }

    /** {@code "a forecaster, sequential(...)"} for messages. */
    String describe() {
        return "a " + task.id + " (" + model + ")";
    }
}
