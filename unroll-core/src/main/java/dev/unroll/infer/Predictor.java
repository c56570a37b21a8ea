package dev.unroll.infer;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Parallel;
import dev.unroll.kernel.Softmax;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StepProgram;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * A model ready to answer requests: built once from a model or a checkpoint, immutable, and safe to
 * call from any number of threads at once — every method of this class may be called concurrently,
 * and a call's result does not depend on what other threads do at the same time.
 *
 * <p>Each call borrows its own buffers from a pool (no large buffer is allocated per call once the
 * pool has warmed up; only the returned values are new) and runs on its own thread budget,
 * {@link Builder#threads} (default 1: the request's own thread), through
 * {@link Parallel#runWithin}, which never waits for another call and never changes the global
 * thread count training uses. Results are the same bits whatever the budget and whatever other
 * rows share a product.
 *
 * <p>The weights are copied when the predictor is built (a {@link StepProgram}): later training of
 * the model does not change it. The checkpoint's {@link Preprocessing} is applied on the way in and
 * out, so callers send raw values and get answers in their units.
 *
 * <pre>{@code
 * Predictor p = Predictor.load(Path.of("out/forecast/model.safetensors"));
 * Tensor next = p.forecast(history, 10);            // [batch, 10, 1], in the series' units
 * SessionState s = p.newSession();
 * StepResult r = p.step(s, new float[] {0.42f});    // r.outputs(), r.state() for the next step
 * }</pre>
 *
 * <p>Models: {@link Sequential} models of the layers {@link StepProgram} runs (unidirectional
 * recurrent layers, dense, layer normalization, dropout), on full-length sequences.
 */
public final class Predictor {
    /** Rows stepped together by one thread: a product of this many rows uses the packed weights well and stays in cache. */
    static final int LANE_ROWS = 128;
    /** Below this many rows per thread a batch is not split (as the fused sequence kernels). */
    private static final int MIN_ROWS_PER_THREAD = 16;

    private final StepProgram program;
    private final Preprocessing preprocessing;
    private final int threads;
    private final Map<String, String> metadata;
    private final String description;
    private final long layout;
    private final StripedPool<Lane> lanes;

    private Predictor(Builder b) {
        this.program = StepProgram.of(b.model);
        this.preprocessing = b.preprocessing;
        this.threads = b.threads;
        this.metadata = Map.copyOf(b.metadata);
        this.description = b.model.toString();
        this.layout = fingerprint(program.stateLayout() + "/" + program.stateSize());
        this.lanes = new StripedPool<>(8 * Runtime.getRuntime().availableProcessors());
    }

    /** A predictor of {@code model} without preprocessing, on one thread per call. */
    public static Predictor of(Sequential model) {
        return builder(model).build();
    }

    /** Starts a predictor of {@code model}. */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /** Starts a predictor of a loaded checkpoint: its model, its metadata and the preprocessing the metadata records. */
    public static Builder builder(Checkpoint.Loaded loaded) {
        Layer layer = loaded.model();
        if (!(layer instanceof Sequential s)) {
            throw new IllegalArgumentException("a predictor runs sequential models; the checkpoint holds a model of kind '" + layer.kind() + "'");
        }
        return new Builder(s).metadata(loaded.metadata()).preprocessing(Preprocessing.fromMetadata(loaded.metadata()));
    }

    /** The predictor of a checkpoint file (see {@link Checkpoint#read(Path)}). */
    public static Predictor load(Path file) throws IOException {
        return builder(Checkpoint.read(file)).build();
    }

    /** The predictor of a checkpoint held in memory; {@code name} says what it is in messages. */
    public static Predictor load(byte[] bytes, String name) throws IOException {
        return builder(Checkpoint.read(bytes, name)).build();
    }

    /** The predictor of a checkpoint read from a stream to its end (the stream is not closed). */
    public static Predictor load(InputStream in, String name) throws IOException {
        return builder(Checkpoint.read(in, name)).build();
    }

    /** The predictor of a checkpoint packed as a class-path resource. */
    public static Predictor loadResource(ClassLoader loader, String resource) throws IOException {
        return builder(Checkpoint.readResource(loader, resource)).build();
    }

    /** How to build a {@link Predictor}. */
    public static final class Builder {
        private final Sequential model;
        private Preprocessing preprocessing = Preprocessing.NONE;
        private int threads = 1;
        private Map<String, String> metadata = Map.of();

        private Builder(Sequential model) {
            this.model = model;
        }

        /** Applied to inputs and outputs; default {@link Preprocessing#NONE}. */
        public Builder preprocessing(Preprocessing p) {
            preprocessing = p;
            return this;
        }

        /** The thread budget of each call, the calling thread included; default 1. */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("predictor: threads must be at least 1, got " + n);
            }
            threads = n;
            return this;
        }

        /** The checkpoint metadata to report ({@link #metadata()}). */
        public Builder metadata(Map<String, String> m) {
            metadata = m;
            return this;
        }

        public Predictor build() {
            return new Predictor(this);
        }
    }

    // ------------------------------------------------------------------ description

    /** Features per input step. */
    public int inputSize() {
        return program.inputSize();
    }

    /** Values per output (per step, or per sequence when {@link #returnsSequences()} is false). */
    public int outputSize() {
        return program.outputSize();
    }

    /** True when {@link #predict} gives an output per step, false when one per sequence. */
    public boolean returnsSequences() {
        return program.returnsSequences();
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The thread budget of each call. */
    public int threads() {
        return threads;
    }

    /** The checkpoint's metadata (empty when built from a model). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The layout of a session's state, e.g. {@code "rnn(h100)"}. */
    public String stateLayout() {
        return program.stateLayout();
    }

    /** Floats in a session's state. */
    public int stateSize() {
        return program.stateSize();
    }

    @Override
    public String toString() {
        return description;
    }

    // ------------------------------------------------------------------ whole sequences

    /**
     * The model on a batch of full-length sequences, {@code [batch, time, inputSize]} in the
     * caller's units: {@code [batch, time, outputSize]} when the model outputs every step, else
     * {@code [batch, outputSize]}; in the caller's units.
     */
    public Tensor predict(Tensor inputs) {
        int[] dims = checkSequences("predict", inputs);
        int batch = dims[0];
        int steps = dims[1];
        boolean sequences = program.returnsSequences();
        int in = inputSize();
        int out = outputSize();
        Tensor y = sequences ? Tensor.zeros(batch, steps, out) : Tensor.zeros(batch, out);
        float[] x = inputs.data();
        int x0 = inputs.offset();
        float[] yd = y.data();
        forEachChunk(batch, (lane, r0, m) -> {
            program.zeroState(lane.ws, m);
            if (sequences) {
                everyStep(lane, x, x0 + r0 * steps * in, steps, m, yd, r0 * steps * out);
                return;
            }
            for (int t = 0; t < steps; t++) {
                lane.load(x, x0 + (r0 * steps + t) * in, steps * in, m);
                program.step(lane.ws, m, lane.x, 0, in, t == steps - 1 ? yd : null, r0 * out, out);
            }
            preprocessing.decode(yd, r0 * out, m, out);
        });
        return y;
    }

    /**
     * The outputs of every step of {@code m} sequences ({@code [m, steps, inputSize]} from
     * {@code x[x0]}) into {@code y[y0..]} ({@code [m, steps, outputSize]}), decoded. The recurrent
     * layers run step by step; the stateless layers after them once per group of steps, over all
     * the group's rows (a dense projection of one row per step would be a chain of dependent
     * multiply-adds per output; over many rows the products fill the vector units).
     */
    private void everyStep(Lane lane, float[] x, int x0, int steps, int m, float[] y, int y0) {
        int in = inputSize();
        int out = outputSize();
        int hidden = program.stateOutputSize();
        int group = Math.max(1, LANE_ROWS / m);
        for (int t0 = 0; t0 < steps; t0 += group) {
            int t1 = Math.min(steps, t0 + group);
            for (int t = t0; t < t1; t++) {
                lane.load(x, x0 + t * in, steps * in, m);
                program.advance(lane.ws, m, lane.x, 0, in, lane.h, (t - t0) * m * hidden, hidden);
            }
            // Rows of the group are step-major: row (t - t0)·m + r is sequence r at step t.
            program.finish(lane.ws, (t1 - t0) * m, lane.h, 0, hidden, lane.y, 0, out);
            for (int t = t0; t < t1; t++) {
                for (int r = 0; r < m; r++) {
                    int at = y0 + (r * steps + t) * out;
                    System.arraycopy(lane.y, ((t - t0) * m + r) * out, y, at, out);
                    preprocessing.decode(y, at, 1, out);
                }
            }
        }
    }

    /**
     * Forecasts {@code horizon} steps after each history {@code [batch, time, inputSize]}: the model
     * reads the history (its latest {@link Preprocessing#window()} steps when the preprocessing
     * has one), then each prediction is fed back as the next input. Needs a model that outputs
     * every step, as many values as it reads. Returns {@code [batch, horizon, outputSize]} in the
     * caller's units.
     */
    public Tensor forecast(Tensor history, int horizon) {
        int steps = checkSequences("forecast", history)[1];
        int window = preprocessing.window();
        return rollOut("forecast", history, window > 0 ? Math.max(0, steps - window) : 0, horizon);
    }

    /**
     * Seed §14's creative generation, carrying the state: the model reads the whole seed
     * {@code [batch, time, inputSize]}, then generates {@code count} values per sequence, each
     * fed back as the next input. Returns {@code [batch, count, outputSize]} in the caller's units.
     */
    public Tensor generate(Tensor seed, int count) {
        checkSequences("generate", seed);
        return rollOut("generate", seed, 0, count);
    }

    /** Reads steps {@code [from, time)} of each sequence, then feeds {@code count} predictions back. */
    private Tensor rollOut(String what, Tensor x, int from, int count) {
        if (!program.returnsSequences() || inputSize() != outputSize()) {
            throw new IllegalArgumentException(what + " feeds each prediction back as the next input: it needs a model that outputs"
                    + " every step, as many values as it reads; this one reads " + inputSize() + " and outputs " + outputSize()
                    + (program.returnsSequences() ? " per step" : " per sequence"));
        }
        if (count < 1) {
            throw new IllegalArgumentException(what + ": the number of steps to predict must be at least 1, got " + count);
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int n = inputSize();
        Tensor y = Tensor.zeros(batch, count, n);
        float[] xd = x.data();
        float[] yd = y.data();
        forEachChunk(batch, (lane, r0, m) -> {
            program.zeroState(lane.ws, m);
            for (int t = from; t < steps - 1; t++) {
                lane.load(xd, x.offset() + (r0 * steps + t) * n, steps * n, m);
                program.step(lane.ws, m, lane.x, 0, n, null, 0, 0);
            }
            lane.load(xd, x.offset() + (r0 * steps + steps - 1) * n, steps * n, m);
            program.step(lane.ws, m, lane.x, 0, n, lane.y, 0, n);
            for (int h = 0; ; h++) {
                for (int r = 0; r < m; r++) {
                    int at = ((r0 + r) * count + h) * n;
                    System.arraycopy(lane.y, r * n, yd, at, n);
                    preprocessing.decode(yd, at, 1, n);
                }
                if (h == count - 1) {
                    break;
                }
                // The prediction goes back in the model's units (the step reads its input before writing).
                program.step(lane.ws, m, lane.y, 0, n, lane.y, 0, n);
            }
        });
        return y;
    }

    /**
     * Classifies a batch of sequences {@code [batch, time, inputSize]} with a model that outputs
     * one score per class and sequence: the softmax of the scores and the highest-scoring class.
     */
    public Classification classify(Tensor inputs) {
        if (program.returnsSequences()) {
            throw new IllegalArgumentException("classify needs a model that outputs one score per class for each sequence (a recurrent"
                    + " layer returning its final state); this one outputs every step");
        }
        Tensor scores = predict(inputs);
        int batch = scores.dim(0);
        int classes = scores.dim(1);
        Tensor p = Tensor.zeros(batch, classes);
        Softmax.rows(batch, classes, scores.data(), scores.offset(), p.data(), 0);
        int[] best = new int[batch];
        float[] s = scores.data();
        for (int b = 0; b < batch; b++) {
            int base = scores.offset() + b * classes;
            for (int c = 1; c < classes; c++) {
                if (s[base + c] > s[base + best[b]]) {
                    best[b] = c;
                }
            }
        }
        return new Classification(best, p);
    }

    // ------------------------------------------------------------------ sessions

    /** A session at the start of a sequence: zero state. */
    public SessionState newSession() {
        return new SessionState(layout, new float[program.stateSize()]);
    }

    /** A session with the given state ({@link #stateSize()} floats, as {@link SessionState#values()} gives). */
    public SessionState session(float[] values) {
        if (values.length != program.stateSize()) {
            throw new IllegalArgumentException("session state: expected " + program.stateSize() + " floats (" + program.stateLayout()
                    + "), got " + values.length);
        }
        return new SessionState(layout, values.clone());
    }

    /** A session state from {@link SessionState#toBytes}, checked against this model's state layout. */
    public SessionState restore(byte[] bytes) {
        SessionState s = SessionState.fromBytes(bytes);
        requireOwn(s);
        return s;
    }

    /**
     * Steps one session through {@code inputs.length / inputSize()} steps (at least one; row-major
     * {@code [steps, inputSize]}, caller's units). Returns the outputs of every step taken and the
     * new state; the given state is unchanged.
     */
    public StepResult step(SessionState state, float[] inputs) {
        return step(new SessionState[] {state}, new float[][] {inputs})[0];
    }

    /**
     * Steps many sessions at once, each through its own inputs (as {@link #step(SessionState, float[])}):
     * at every step the sessions still running go through one product. Each session's results are
     * the same bits as stepping it alone.
     */
    public StepResult[] step(SessionState[] states, float[][] inputs) {
        if (states.length != inputs.length) {
            throw new IllegalArgumentException("step: " + states.length + " sessions but " + inputs.length + " inputs");
        }
        int n = states.length;
        int[] steps = new int[n];
        for (int i = 0; i < n; i++) {
            requireOwn(states[i]);
            steps[i] = stepsOf(inputs[i]);
        }
        int[] order = longestFirst(steps);
        int in = inputSize();
        int out = outputSize();
        StepResult[] results = new StepResult[n];
        forEachChunk(n, (lane, r0, m) -> {
            float[][] outputs = new float[m][];
            for (int r = 0; r < m; r++) {
                int i = order[r0 + r];
                program.loadState(lane.ws, r, states[i].array(), 0);
                outputs[r] = new float[steps[i] * out];
            }
            for (int t = 0, running = m; running > 0; t++) {
                while (running > 0 && steps[order[r0 + running - 1]] <= t) {
                    running--;
                }
                for (int r = 0; r < running; r++) {
                    System.arraycopy(inputs[order[r0 + r]], t * in, lane.x, r * in, in);
                }
                preprocessing.encode(lane.x, 0, running, in);
                program.step(lane.ws, running, lane.x, 0, in, lane.y, 0, out);
                preprocessing.decode(lane.y, 0, running, out);
                for (int r = 0; r < running; r++) {
                    System.arraycopy(lane.y, r * out, outputs[r], t * out, out);
                }
            }
            for (int r = 0; r < m; r++) {
                float[] next = new float[program.stateSize()];
                program.storeState(lane.ws, r, next, 0);
                results[order[r0 + r]] = new StepResult(outputs[r], new SessionState(layout, next));
            }
        });
        return results;
    }

    /**
     * The sessions' indices, those with more steps first (ties in index order): at step t the
     * sessions still running are then a prefix of the rows. Sorted as primitive keys, no boxing.
     */
    private static int[] longestFirst(int[] steps) {
        int n = steps.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) (Integer.MAX_VALUE - steps[i]) << 32 | i;
        }
        if (n > 1) {
            Arrays.sort(keys);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * A batcher that steps sessions submitted from many threads together: up to {@code maxBatch}
     * at once, waiting at most {@code maxWait} after the first for others to join.
     */
    public StepBatcher batcher(int maxBatch, Duration maxWait) {
        return new StepBatcher(this, maxBatch, maxWait);
    }

    /** The number of steps in one session's inputs; an error naming the sizes if they are not whole steps. */
    int stepsOf(float[] inputs) {
        int in = inputSize();
        if (inputs.length == 0 || inputs.length % in != 0) {
            throw new ShapeException("session step: expected one or more steps of " + in + " values, got " + inputs.length
                    + " values");
        }
        return inputs.length / in;
    }

    void requireOwn(SessionState s) {
        if (s.layout() != layout || s.size() != program.stateSize()) {
            throw new IllegalArgumentException("session state: saved for another model (state layout " + Long.toHexString(s.layout())
                    + ", " + s.size() + " floats); this model's is " + Long.toHexString(layout) + ", " + program.stateSize()
                    + " floats (" + program.stateLayout() + ")");
        }
    }

    // ------------------------------------------------------------------ chunks and lanes

    private int[] checkSequences(String what, Tensor x) {
        Shape.requireRank(what + " input", x.shape(), 3, "[batch, time, features]");
        if (x.dim(2) != inputSize()) {
            throw new ShapeException(what + ": input features: expected " + inputSize() + ", got " + x.dim(2) + " (input shape "
                    + Shape.toString(x.shape()) + ")");
        }
        if (x.dim(0) < 1 || x.dim(1) < 1) {
            throw new ShapeException(what + ": expected at least one sequence of at least one step, got shape " + Shape.toString(x.shape()));
        }
        return x.shape();
    }

    /** The work on rows {@code [r0, r0 + m)} of a batch, {@code m ≤ LANE_ROWS}, with a borrowed lane. */
    @FunctionalInterface
    private interface Chunk {
        void run(Lane lane, int r0, int m);
    }

    /**
     * Runs {@code body} over the rows of a batch: in blocks on up to {@link #threads} threads, each
     * block in chunks of at most {@link #LANE_ROWS} rows.
     */
    private void forEachChunk(int rows, Chunk body) {
        int blocks = Math.max(1, Math.min(threads, rows / MIN_ROWS_PER_THREAD));
        int per = (rows + blocks - 1) / blocks;
        Parallel.runWithin(threads, blocks, block -> {
            int end = Math.min(rows, (block + 1) * per);
            Lane lane = lanes.take();
            if (lane == null) {
                lane = new Lane(program, inputSize(), outputSize());
            }
            try {
                for (int r0 = block * per; r0 < end; r0 += LANE_ROWS) {
                    body.run(lane, r0, Math.min(LANE_ROWS, end - r0));
                }
            } finally {
                lanes.give(lane);
            }
        });
    }

    /** One thread's buffers: a workspace of {@link #LANE_ROWS} rows, a step's inputs and outputs. */
    private final class Lane {
        final StepProgram.Workspace ws;
        /** {@code [rows, inputSize]}: a step's inputs, in the model's units. */
        final float[] x;
        /** {@code [rows, outputSize]}: a step's outputs. */
        final float[] y;
        /** {@code [rows, stateOutputSize]}: what the recurrent layers output, for a group of steps. */
        final float[] h;

        Lane(StepProgram program, int in, int out) {
            ws = program.workspace(LANE_ROWS);
            x = new float[LANE_ROWS * in];
            y = new float[LANE_ROWS * out];
            h = new float[LANE_ROWS * program.stateOutputSize()];
        }

        /** Copies {@code m} input rows ({@code stride} apart from {@code off}) into {@link #x} and encodes them. */
        void load(float[] src, int off, int stride, int m) {
            int in = inputSize();
            for (int r = 0; r < m; r++) {
                System.arraycopy(src, off + r * stride, x, r * in, in);
            }
            preprocessing.encode(x, 0, m, in);
        }
    }

    /** FNV-1a, 64 bits. */
    private static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
