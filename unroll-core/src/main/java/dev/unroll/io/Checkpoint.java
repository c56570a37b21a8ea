package dev.unroll.io;

import dev.unroll.nn.Layer;
import dev.unroll.nn.Layers;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.optim.Optimizer;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model checkpoints: one {@code .safetensors} file holding every parameter under its PyTorch name
 * and layout ({@code rnn.weight_ih_l0 [G·H, I]}, {@code fc.weight [out, in]}, ...) and, in the
 * {@code __metadata__}, the model's configuration as JSON — so {@link #load} needs nothing else,
 * and PyTorch loads the tensors into {@code nn.RNN/LSTM/GRU + nn.Linear} unchanged (see
 * {@code docs/checkpoints.md}).
 *
 * <p>Resuming training needs more than the model: the optimizer's buffers, the step counts and the
 * random streams. {@link #saveTraining} writes those to a sibling file
 * {@code <name>.training.safetensors} next to the model file; {@link #resume} reads both. Every
 * write is atomic. Loading checks the file thoroughly: a corrupt or truncated file, or one saved
 * from another architecture, is a clear error naming the difference.
 */
public final class Checkpoint {
    /** Metadata key of the model configuration (JSON: kind and config of the root layer). */
    public static final String MODEL_KEY = "unroll.model";
    /** Metadata key of the format version. */
    public static final String FORMAT_KEY = "unroll.format";
    private static final String FORMAT = "1";
    private static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String EPOCH_BATCHES_KEY = "unroll.epoch_batches";

    private Checkpoint() {
    }

    /** A loaded checkpoint: the model it describes, with its parameters, and the file's metadata. */
    public record Loaded(Layer model, Map<String, String> metadata) {
    }

    /** Saves the model's parameters and configuration. */
    public static void save(Layer model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Saves the model with extra string metadata (e.g. how an application preprocesses inputs);
     * {@link #load} and PyTorch ignore it, {@link #read} and {@link SafeTensors#read} return it. Keys
     * must not start with {@code unroll.} unless they are {@code unroll.<application>.*}.
     */
    public static void save(Layer model, Path file, Map<String, String> extraMetadata) throws IOException {
        SafeTensors.write(file, parameters(model), metadata(model, extraMetadata));
    }

    /** The checkpoint as bytes, the same as {@link #save} writes to a file. */
    public static byte[] toBytes(Layer model, Map<String, String> extraMetadata) {
        return SafeTensors.toBytes(parameters(model), metadata(model, extraMetadata));
    }

    private static Map<String, Tensor> parameters(Layer model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            tensors.put(e.getKey(), e.getValue().value());
        }
        return tensors;
    }

    private static Map<String, String> metadata(Layer model, Map<String, String> extraMetadata) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(MODEL_KEY, describe(model));
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (meta.containsKey(e.getKey())) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is reserved for the model description");
            }
            meta.put(e.getKey(), e.getValue());
        }
        return meta;
    }

    /** Rebuilds the model a checkpoint file describes and loads its parameters. */
    public static Layer load(Path file) throws IOException {
        return read(file).model();
    }

    /** {@link #load}, with the file's metadata. */
    public static Loaded read(Path file) throws IOException {
        return rebuild(file.toString(), SafeTensors.read(file));
    }

    /** A checkpoint held in memory ({@code name} says what it is in messages). */
    public static Loaded read(byte[] bytes, String name) throws IOException {
        return rebuild(name, SafeTensors.read(bytes, name));
    }

    /** A checkpoint read from a stream to its end (the stream is not closed). */
    public static Loaded read(InputStream in, String name) throws IOException {
        return rebuild(name, SafeTensors.read(in, name));
    }

    /**
     * A checkpoint packed as a class-path resource (e.g. in an application's jar), found by
     * {@code loader}.
     */
    public static Loaded readResource(ClassLoader loader, String resource) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("no class-path resource '" + resource + "'");
            }
            return read(new java.io.BufferedInputStream(in, 1 << 16), "resource " + resource);
        }
    }

    /**
     * The model of a checkpoint's description ({@link #fromDescription}, checked against the values
     * the file holds); then its parameters must match the file's tensors name by name and shape by
     * shape.
     */
    private static Loaded rebuild(String where, SafeTensors.Contents c) throws SafeTensorsException {
        String json = c.metadata().get(MODEL_KEY);
        if (json == null) {
            throw new SafeTensorsException(where + ": not an Unroll model checkpoint (no '" + MODEL_KEY + "' in the metadata); "
                    + "to load bare weights into a model you build yourself, use Checkpoint.loadInto");
        }
        long held = 0;
        for (Tensor t : c.tensors().values()) {
            held += t.size();
        }
        Layer model;
        try {
            model = fromDescription(json, held);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(where + ": invalid model configuration in the metadata: " + e.getMessage());
        }
        copyParameters(where, c.tensors(), model);
        return new Loaded(model, c.metadata());
    }

    /**
     * The model's description as {@link #save} stores it under {@link #MODEL_KEY}: the JSON
     * {@code {"kind": ..., "config": {...}}} of the root layer.
     */
    public static String describe(Layer model) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("kind", model.kind());
        description.put("config", model.config());
        return Json.write(description);
    }

    /**
     * Rebuilds the model {@link #describe} described, with freshly initialized parameters — refused
     * before anything is allocated when it would have more parameters than {@code heldValues}, the
     * values the file it comes with holds (so a small file cannot make Unroll allocate a large model).
     *
     * @throws IllegalArgumentException if the JSON is not such a description, or too large
     */
    public static Layer fromDescription(String json, long heldValues) {
        Map<String, Object> description = Json.parseObject(json);
        Object config = description.get("config");
        if (!(description.get("kind") instanceof String kind) || !(config instanceof Map<?, ?>) || description.size() != 2) {
            throw new IllegalArgumentException("expected {\"kind\": ..., \"config\": {...}}, got keys " + description.keySet());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) config;
        long declared = Layers.parameterCount(kind, cfg);
        if (declared > heldValues) {
            throw new IllegalArgumentException("it describes a model of " + (declared == Long.MAX_VALUE ? "more than 2^63" : declared)
                    + " parameters, the file holds only " + heldValues + " values");
        }
        return Layers.fromConfig(kind, cfg);
    }

    /**
     * Loads a checkpoint's parameters into an existing model of the same architecture (names and
     * shapes must match exactly; the file may be a PyTorch {@code state_dict} saved as
     * safetensors).
     */
    public static void loadInto(Module model, Path file) throws IOException {
        copyParameters(file.toString(), SafeTensors.read(file).tensors(), model);
    }

    private static void copyParameters(String where, Map<String, Tensor> tensors, Module model) throws SafeTensorsException {
        Map<String, Parameter> params = model.namedParameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey() + " " + Shape.toString(e.getValue().shape()));
            } else if (!t.hasShape(e.getValue().shape())) {
                problems.add(e.getKey() + " has shape " + Shape.toString(t.shape()) + ", the model expects "
                        + Shape.toString(e.getValue().shape()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                problems.add("unexpected " + name + " " + Shape.toString(tensors.get(name).shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new SafeTensorsException(where + " does not match the model's architecture: " + String.join("; ", problems));
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            e.getValue().load(tensors.get(e.getKey()));
        }
    }

    // ------------------------------------------------------------------ training state

    /** The sibling file holding the training state of a model checkpoint. */
    public static Path trainingFile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return modelFile.resolveSibling(base + ".training.safetensors");
    }

    /**
     * Saves the model (to {@code file}) and everything needed to resume training exactly (to
     * {@link #trainingFile}): optimizer buffers and step count, epochs, iterations and batches
     * done, the random streams.
     */
    public static void saveTraining(Trainer trainer, Path file) throws IOException {
        save(trainer.model(), file);
        byte[] state = trainingStateBytes(trainer);
        AtomicFiles.write(trainingFile(file), out -> out.write(state));
    }

    /**
     * The training state {@link #saveTraining} writes beside the model, as bytes (for storage that
     * is not a local file system, with the model's {@link #toBytes}).
     */
    public static byte[] trainingStateBytes(Trainer trainer) {
        Optimizer opt = trainer.optimizer();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : opt.state().entrySet()) {
            tensors.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
        }
        Trainer.State s = trainer.state();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("unroll.optimizer", opt.name());
        meta.put("unroll.optimizer.steps", Long.toString(opt.steps()));
        meta.put("unroll.parameters", Long.toString(trainer.model().parameterCount()));
        meta.put("unroll.epochs_done", Integer.toString(s.epochsDone()));
        meta.put(EPOCH_BATCHES_KEY, Integer.toString(s.batchesDone()));
        meta.put("unroll.iterations", Long.toString(s.iterations()));
        meta.put("unroll.data_rng", Long.toString(s.dataRngState()));
        meta.put("unroll.dropout_rng", Long.toString(s.dropoutRngState()));
        return SafeTensors.toBytes(tensors, meta);
    }

    /**
     * Restores a trainer (its model, optimizer and progress) from {@link #saveTraining}'s files;
     * the trainer must have been built for the same architecture and optimizer.
     */
    public static void resume(Trainer trainer, Path file) throws IOException {
        Path stateFile = trainingFile(file);
        SafeTensors.Contents state = SafeTensors.read(stateFile);
        checkResumable(trainer, state.metadata(), stateFile.toString());
        resume(trainer, file.toString(), SafeTensors.read(file).tensors(), stateFile.toString(), state);
    }

    /**
     * {@link #resume(Trainer, Path)} from a model checkpoint and a training state held in memory
     * ({@link #toBytes} and {@link #trainingStateBytes}); {@code name} says where they came from in
     * messages.
     */
    public static void resume(Trainer trainer, byte[] model, byte[] trainingState, String name) throws IOException {
        String stateName = name + " (training state)";
        SafeTensors.Contents state = SafeTensors.read(trainingState, stateName);
        checkResumable(trainer, state.metadata(), stateName);
        resume(trainer, name, SafeTensors.read(model, name).tensors(), stateName, state);
    }

    private static void checkResumable(Trainer trainer, Map<String, String> meta, String stateName) throws SafeTensorsException {
        Optimizer opt = trainer.optimizer();
        String savedOptimizer = meta.get("unroll.optimizer");
        if (!opt.name().equals(savedOptimizer)) {
            throw new SafeTensorsException(stateName + ": saved with optimizer " + savedOptimizer + ", resuming with " + opt.name());
        }
        String params = meta.get("unroll.parameters");
        if (params == null || Long.parseLong(params) != trainer.model().parameterCount()) {
            throw new SafeTensorsException(stateName + ": saved for a model of " + params + " parameters, this one has "
                    + trainer.model().parameterCount());
        }
    }

    private static void resume(Trainer trainer, String modelName, Map<String, Tensor> modelTensors, String stateName,
                               SafeTensors.Contents state) throws SafeTensorsException {
        copyParameters(modelName, modelTensors, trainer.model());
        Map<String, String> meta = state.metadata();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                buffers.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
            }
        }
        try {
            trainer.optimizer().loadState(buffers, Long.parseLong(required(meta, stateName, "unroll.optimizer.steps")));
            // Files written before mid-epoch resumes existed hold epoch boundaries only.
            String batches = meta.getOrDefault(EPOCH_BATCHES_KEY, "0");
            trainer.restore(new Trainer.State(Integer.parseInt(required(meta, stateName, "unroll.epochs_done")),
                    Long.parseLong(required(meta, stateName, "unroll.iterations")),
                    Long.parseLong(required(meta, stateName, "unroll.data_rng")),
                    Long.parseLong(required(meta, stateName, "unroll.dropout_rng")),
                    Integer.parseInt(batches)));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(stateName + ": " + e.getMessage());
        }
    }

    private static String required(Map<String, String> meta, String file, String key) throws SafeTensorsException {
        String v = meta.get(key);
        if (v == null) {
            throw new SafeTensorsException(file + ": not an Unroll training state (no '" + key + "')");
        }
        return v;
    }
}
