package dev.unroll.nn;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurrent layer over whole sequences (seed §7 {@code dynamic_rnn}; PyTorch's
 * {@code nn.RNN / nn.LSTM / nn.GRU} with {@code batch_first=True}): one or more stacked layers
 * (§15 {@code MultiRNNCell}), each optionally bidirectional, every one running as a fused sequence
 * kernel.
 *
 * <pre>
 *   input    x        [batch, time, inputSize]       time is free at every call
 *   lengths  int[]    one per instance in [1, time], or null
 *   outputs           [batch, time, D·hiddenSize]    D = 2 if bidirectional else 1; zero past lengths
 *   final states      one per layer and direction, in PyTorch's order: l0, l0_reverse, l1, ...
 * </pre>
 *
 * <p>Parameters carry PyTorch's names ({@code weight_ih_l0}, {@code weight_hh_l0_reverse}, ...)
 * and shapes, so a state dict moves between the two unchanged. The backward direction runs over
 * each instance's valid steps reversed, starting at its last valid step, as PyTorch does on packed
 * sequences.
 *
 * <p>Dropout (seed §16), active only when {@code training}: {@code inputDropout} on the input of
 * every layer (TensorFlow's {@code DropoutWrapper(input_keep_prob)} around each cell),
 * {@code outputDropout} on the output of every layer ({@code output_keep_prob}) and
 * {@code stateDropout} on the state passed between steps ({@code state_keep_prob}); PyTorch's
 * {@code dropout=p} is {@code outputDropout} on every layer but the last — set
 * {@code betweenLayersOnly}.
 */
public final class Recurrent extends Layer {
    private final CellType type;
    private final int inputSize;
    private final int hiddenSize;
    private final int layers;
    private final boolean bidirectional;
    private final Activation activation;
    private final float inputDropout;
    private final float outputDropout;
    private final float stateDropout;
    private final boolean betweenLayersOnly;
    private final boolean returnSequences;
    /** Cells by {@code layer · directions + direction}. */
    private final List<RecurrentCell> cells;

    private Recurrent(Builder b) {
        this.type = b.type;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.layers = b.layers;
        this.bidirectional = b.bidirectional;
        this.activation = b.activation;
        this.inputDropout = b.inputDropout;
        this.outputDropout = b.outputDropout;
        this.stateDropout = b.stateDropout;
        this.betweenLayersOnly = b.betweenLayersOnly;
        this.returnSequences = b.returnSequences;
        CellInit init = b.init != null ? b.init : CellInit.pytorch();
        Rng rng = b.rng != null ? b.rng : new Rng(42);
        List<RecurrentCell> list = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            int in = layer == 0 ? inputSize : directions() * hiddenSize;
            for (int dir = 0; dir < directions(); dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                list.add(switch (type) {
                    case RNN -> new SimpleRnnCell(in, hiddenSize, activation, init, rng, suffix);
                    case LSTM -> new LstmCell(in, hiddenSize, init, rng, suffix);
                    case GRU -> new GruCell(in, hiddenSize, init, rng, suffix);
                });
            }
        }
        this.cells = List.copyOf(list);
        for (RecurrentCell c : cells) {
            for (Parameter p : c.parameters()) {
                addParameter(p);
            }
        }
    }

    /** Starts describing a layer of the given cell type. */
    public static Builder builder(CellType type, int inputSize, int hiddenSize) {
        return new Builder(type, inputSize, hiddenSize);
    }

    /** Configuration of a {@link Recurrent} layer; sizes are validated by {@link #build()}. */
    public static final class Builder {
        private final CellType type;
        private final int inputSize;
        private final int hiddenSize;
        private int layers = 1;
        private boolean bidirectional;
        private Activation activation = Activation.TANH;
        private CellInit init;
        private float inputDropout;
        private float outputDropout;
        private float stateDropout;
        private boolean betweenLayersOnly;
        private boolean returnSequences = true;
        private Rng rng;

        private Builder(CellType type, int inputSize, int hiddenSize) {
            this.type = type;
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        /** Stacked layers (seed §15); default 1. */
        public Builder layers(int n) {
            layers = n;
            return this;
        }

        public Builder bidirectional(boolean on) {
            bidirectional = on;
            return this;
        }

        /** Simple RNN only: tanh (default), relu, or another activation. */
        public Builder activation(Activation a) {
            activation = a;
            return this;
        }

        /** Parameter initialization; default PyTorch's U(−1/√H, 1/√H). */
        public Builder init(CellInit i) {
            init = i;
            return this;
        }

        /** Dropout rate on each layer's input (TensorFlow {@code input_keep_prob = 1 − rate}). */
        public Builder inputDropout(float rate) {
            inputDropout = rate;
            return this;
        }

        /** Dropout rate on each layer's output (TensorFlow {@code output_keep_prob = 1 − rate}). */
        public Builder outputDropout(float rate) {
            outputDropout = rate;
            return this;
        }

        /**
         * Dropout rate on the state passed from each step to the next (TensorFlow
         * {@code state_keep_prob = 1 − rate}; for LSTM only h is dropped, not c). Outputs are not
         * affected; a fresh mask is drawn for every step.
         */
        public Builder stateDropout(float rate) {
            stateDropout = rate;
            return this;
        }

        /** PyTorch's {@code dropout=rate}: output dropout on every layer except the last. */
        public Builder dropoutBetweenLayers(float rate) {
            outputDropout = rate;
            betweenLayersOnly = true;
            return this;
        }

        /**
         * As a layer of a model: true (default) to output every step {@code [batch, time, D·H]}
         * (sequence to sequence), false to output only the last layer's final {@code h}
         * {@code [batch, D·H]} (sequence to vector, e.g. a classifier, seed §10).
         */
        public Builder returnSequences(boolean on) {
            returnSequences = on;
            return this;
        }

        /** Source of the initial parameter values (default: a fixed seed, 42). */
        public Builder rng(Rng r) {
            rng = r;
            return this;
        }

        public Recurrent build() {
            if (inputSize <= 0 || hiddenSize <= 0) {
                throw new IllegalArgumentException(type.id() + ": input size and hidden size must be positive, got "
                        + inputSize + " and " + hiddenSize);
            }
            if (layers < 1) {
                throw new IllegalArgumentException(type.id() + ": layers must be at least 1, got " + layers);
            }
            if (type != CellType.RNN && activation != Activation.TANH) {
                throw new IllegalArgumentException(type.id() + " cells have fixed activations; activation applies to rnn only");
            }
            Dropout.checkRate(type.id() + " input dropout", inputDropout);
            Dropout.checkRate(type.id() + " output dropout", outputDropout);
            Dropout.checkRate(type.id() + " state dropout", stateDropout);
            long parameters = parameterCount(type, inputSize, hiddenSize, layers, bidirectional);
            Configs.requireHeapFor(type.id() + "(" + inputSize + " -> " + hiddenSize + (layers > 1 ? ", layers " + layers : "") + ")",
                    parameters);
            return new Recurrent(this);
        }
    }

    // ------------------------------------------------------------------ queries

    public CellType type() {
        return type;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int layers() {
        return layers;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    /** 2 if bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** True if, as a layer, it outputs every step; false if only the final hidden state. */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** Features of each output step: {@code directions · hiddenSize}. */
    public int outputSize() {
        return directions() * hiddenSize;
    }

    public Activation activation() {
        return activation;
    }

    public float inputDropout() {
        return inputDropout;
    }

    public float outputDropout() {
        return outputDropout;
    }

    public float stateDropout() {
        return stateDropout;
    }

    public boolean dropoutBetweenLayersOnly() {
        return betweenLayersOnly;
    }

    /** The cell of one layer and direction (0 forward, 1 backward). */
    public RecurrentCell cell(int layer, int direction) {
        return cells.get(layer * directions() + direction);
    }

    // ------------------------------------------------------------------ forward

    /** Inference on full-length sequences from zero states. */
    public RecurrentOutput forward(Variable x) {
        return forward(x, null, null, false, null);
    }

    /**
     * Runs the layer.
     *
     * @param lengths  per-instance lengths in [1, time], or null
     * @param initial  initial states, one per layer and direction in PyTorch's order, or null for
     *                 zeros
     * @param training enables dropout
     * @param dropoutRng source of dropout masks (required when training with dropout)
     */
    public RecurrentOutput forward(Variable x, int[] lengths, List<State> initial, boolean training, Rng dropoutRng) {
        return forward(x, lengths, initial, training, dropoutRng, true);
    }

    /** As above; with {@code keepOutputs} false the last layer skips its per-step outputs (null). */
    private RecurrentOutput forward(Variable x, int[] lengths, List<State> initial, boolean training, Rng dropoutRng,
                                    boolean keepOutputs) {
        Shape.requireRank(type.id() + " input", x.shape(), 3, "[batch, time, features]");
        if (x.dim(2) != inputSize) {
            throw new ShapeException(type.id() + ": input features: expected " + inputSize + ", got " + x.dim(2)
                    + " (input shape " + Shape.toString(x.shape()) + ")");
        }
        SequenceLengths.requireNonEmpty(type.id() + " input", x.shape());
        SequenceLengths.validate(lengths, x.dim(0), x.dim(1));
        int expectedStates = layers * directions();
        if (initial != null && initial.size() != expectedStates) {
            throw new IllegalArgumentException(type.id() + ": expected " + expectedStates + " initial states (layers × directions), got "
                    + initial.size());
        }
        boolean dropping = training && (inputDropout > 0f || outputDropout > 0f || stateDropout > 0f);
        if (dropping && dropoutRng == null) {
            throw new IllegalArgumentException(type.id() + ": training with dropout needs a seeded Rng for the masks");
        }
        List<State> finals = new ArrayList<>(expectedStates);
        Variable layerInput = x;
        for (int layer = 0; layer < layers; layer++) {
            if (!betweenLayersOnly) {
                layerInput = Dropout.apply(layerInput, inputDropout, training, dropoutRng);
            }
            List<Variable> outputs = new ArrayList<>(directions());
            boolean last = layer == layers - 1;
            // The last layer's outputs go unused when only the final state is wanted (and no output
            // dropout needs them).
            boolean keep = !last || keepOutputs;
            for (int dir = 0; dir < directions(); dir++) {
                int index = layer * directions() + dir;
                State init = initial == null ? null : initial.get(index);
                RecurrentCell cell = cells.get(index);
                float[] mask = training && stateDropout > 0f ? stateMask(x.dim(1), x.dim(0), lengths, dropoutRng) : null;
                if (dir == 0) {
                    SequenceResult r = cell.forwardSequence(layerInput, lengths, init, mask, keep);
                    outputs.add(r.outputs());
                    finals.add(r.finalState());
                } else {
                    Variable reversed = SequenceOps.reverse(layerInput, lengths);
                    SequenceResult r = cell.forwardSequence(reversed, lengths, init, mask, keep);
                    outputs.add(keep ? SequenceOps.reverse(r.outputs(), lengths) : null);
                    finals.add(r.finalState());
                }
            }
            if (!keep) {
                layerInput = null;
                break;
            }
            Variable out = outputs.size() == 1 ? outputs.get(0) : ShapeOps.concat(2, outputs);
            if (!(betweenLayersOnly && last)) {
                out = Dropout.apply(out, outputDropout, training, dropoutRng);
            }
            layerInput = out;
        }
        return new RecurrentOutput(layerInput, finals, directions());
    }

    /**
     * As a layer: the outputs of every step, or the last layer's final hidden state (see
     * {@link Builder#returnSequences}); lengths, training, dropout masks and carried states from
     * the context.
     */
    @Override
    public Variable forward(Variable x, Context context) {
        StateCarry carry = context.carry();
        List<State> initial = carry == null ? null : carry.get(this);
        RecurrentOutput out = forward(x, context.lengths(), initial, context.training(), context.rng(), returnSequences);
        if (carry != null) {
            carry.put(this, out.finalStates());
        }
        return returnSequences ? out.outputs() : out.lastHidden();
    }

    /** {@code [time, batch, hidden]}: 1/keep with probability keep, else 0; 1 past each instance's length. */
    private float[] stateMask(int steps, int batch, int[] lengths, Rng rng) {
        float keep = 1f - stateDropout;
        float[] m = new float[steps * batch * hiddenSize];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                boolean active = lengths == null || t < lengths[b];
                int row = (t * batch + b) * hiddenSize;
                for (int j = 0; j < hiddenSize; j++) {
                    m[row + j] = !active ? 1f : rng.nextFloat() < keep ? 1f / keep : 0f;
                }
            }
        }
        return m;
    }

    @Override
    public String kind() {
        return "recurrent";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cell", type.id());
        c.put("input_size", inputSize);
        c.put("hidden_size", hiddenSize);
        c.put("num_layers", layers);
        c.put("bidirectional", bidirectional);
        c.put("nonlinearity", activation.id());
        c.put("input_dropout", (double) inputDropout);
        c.put("output_dropout", (double) outputDropout);
        c.put("state_dropout", (double) stateDropout);
        c.put("dropout_between_layers_only", betweenLayersOnly);
        c.put("return_sequences", returnSequences);
        return c;
    }

    private static final List<String> CONFIG_KEYS = List.of("cell", "input_size", "hidden_size", "num_layers", "bidirectional",
            "nonlinearity", "input_dropout", "output_dropout", "state_dropout", "dropout_between_layers_only", "return_sequences");

    /**
     * The parameters a configuration describes: per layer and direction {@code G·H·(in + H + 2)},
     * {@code in} the input size for layer 0 and {@code D·H} above it (PyTorch's four tensors).
     */
    static long parameterCount(Map<String, Object> c) {
        Configs.requireKnownKeys("recurrent", c, CONFIG_KEYS);
        return parameterCount(CellType.parse(Configs.string(c, "cell")), Configs.positive(c, "input_size"),
                Configs.positive(c, "hidden_size"), Configs.positive(c, "num_layers"), Configs.bool(c, "bidirectional"));
    }

    private static long parameterCount(CellType type, long input, long hidden, long layers, boolean bidirectional) {
        long gates = type.gates;
        long directions = bidirectional ? 2 : 1;
        long first = Configs.count(gates * hidden, input + hidden + 2, 0);
        long above = Configs.count(gates * hidden, directions * hidden + hidden + 2, 0);
        return Configs.count(directions, Configs.count(layers - 1, above, first), 0);
    }

    /** Rebuilds a layer from {@link #config()} (parameters freshly initialized; load them after). */
    static Recurrent fromConfig(Map<String, Object> c) {
        Configs.requireKnownKeys("recurrent", c, CONFIG_KEYS);
        Builder b = builder(CellType.parse(Configs.string(c, "cell")), Configs.integer(c, "input_size"), Configs.integer(c, "hidden_size"))
                .layers(Configs.integer(c, "num_layers"))
                .bidirectional(Configs.bool(c, "bidirectional"))
                .activation(Activation.parse(Configs.string(c, "nonlinearity")))
                .inputDropout((float) Configs.number(c, "input_dropout"))
                .stateDropout(c.containsKey("state_dropout") ? (float) Configs.number(c, "state_dropout") : 0f)
                .returnSequences(Configs.bool(c, "return_sequences"));
        float out = (float) Configs.number(c, "output_dropout");
        if (Configs.bool(c, "dropout_between_layers_only")) {
            b.dropoutBetweenLayers(out);
        } else {
            b.outputDropout(out);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return type.id() + "(" + inputSize + " -> " + hiddenSize + (layers > 1 ? ", layers " + layers : "")
                + (bidirectional ? ", bidirectional" : "") + (type == CellType.RNN ? ", " + activation.id() : "") + ")";
    }
}
