package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * A recurrent cell: maps {@code (x(t), state(t))} to {@code (y(t), state(t+1))} for one time step
 * (Keras's cell, TensorFlow's {@code RNNCell}); a layer owns the loop over time.
 *
 * <p>Parameters use PyTorch's names and layout, gates stacked along the first axis:
 * <pre>
 *   weight_ih [G·H, I]    weight_hh [G·H, H]    bias_ih [G·H]    bias_hh [G·H]
 *   I = input features, H = hidden size, G = gates (1 RNN, 4 LSTM: i f g o, 3 GRU: r z n)
 * </pre>
 *
 * <p>Two ways to run a cell, which give the same numbers: {@link #step} one step at a time through
 * automatic differentiation (the static unrolling of seed §5, and the reference), and
 * {@link #forwardSequence} over a whole {@code [batch, time, features]} tensor as one fused
 * operation with a hand-written backward (seed §7, the fast path).
 */
public abstract class RecurrentCell {
    private final CellType type;
    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;
    /** Per-step buffers reused by this cell's fused training passes. */
    final BufferPool buffers = new BufferPool();

    /**
     * @param suffix appended to the parameter names, e.g. {@code _l1_reverse} for the second layer's
     *               backward direction in a {@link Recurrent} layer ("" for a lone cell)
     */
    protected RecurrentCell(CellType type, int inputSize, int hiddenSize, CellInit init, Rng rng, String suffix) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(type.id() + " cell: input size and hidden size must be positive, got "
                    + inputSize + " and " + hiddenSize);
        }
        this.type = type;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = type.gates;
        Tensor wih = Tensor.zeros(g * hiddenSize, inputSize);
        Tensor whh = Tensor.zeros(g * hiddenSize, hiddenSize);
        Tensor bih = Tensor.zeros(g * hiddenSize);
        Tensor bhh = Tensor.zeros(g * hiddenSize);
        init.initialize(wih, whh, bih, bhh, g, rng);
        this.weightIh = new Parameter("weight_ih" + suffix, wih);
        this.weightHh = new Parameter("weight_hh" + suffix, whh);
        this.biasIh = new Parameter("bias_ih" + suffix, bih);
        this.biasHh = new Parameter("bias_hh" + suffix, bhh);
    }

    public CellType type() {
        return type;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Parameter weightIh() {
        return weightIh;
    }

    public Parameter weightHh() {
        return weightHh;
    }

    public Parameter biasIh() {
        return biasIh;
    }

    public Parameter biasHh() {
        return biasHh;
    }

    /** {@code weight_ih, weight_hh, bias_ih, bias_hh}, in PyTorch's order. */
    public List<Parameter> parameters() {
        return List.of(weightIh, weightHh, biasIh, biasHh);
    }

    /** The all-zero state for a batch (PyTorch's and TensorFlow's default initial state). */
    public State zeroState(int batch) {
        Variable h = Variable.constant(Tensor.zeros(batch, hiddenSize));
        return type == CellType.LSTM ? new State(h, Variable.constant(Tensor.zeros(batch, hiddenSize))) : State.of(h);
    }

    /**
     * One time step through automatic differentiation: {@code x [batch, I]}, {@code state} with
     * {@code h [batch, H]} (and {@code c} for LSTM).
     */
    public final Step step(Variable x, State state) {
        Shape.requireRank(type.id() + " step input", x.shape(), 2, "[batch, features]");
        if (x.dim(1) != inputSize) {
            throw new ShapeException(type.id() + " step: input features: expected " + inputSize + ", got " + x.dim(1)
                    + " (input shape " + Shape.toString(x.shape()) + ")");
        }
        checkState("step", state, x.dim(0));
        return stepUnchecked(x, state);
    }

    /** The step arithmetic on validated shapes. */
    protected abstract Step stepUnchecked(Variable x, State state);

    /**
     * The whole sequence as one fused operation: {@code x [batch, time, I]} → outputs
     * {@code [batch, time, H]} and the final state (see {@link SequenceResult}).
     *
     * @param lengths per-instance lengths in [1, time], or null when all have {@code time} steps
     * @param initial the initial state, or null for zeros
     */
    public final SequenceResult forwardSequence(Variable x, int[] lengths, State initial) {
        return forwardSequence(x, lengths, initial, null, true);
    }

    /**
     * As {@link #forwardSequence(Variable, int[], State)} with state dropout: the state passed from
     * step t to t+1 is {@code stateMask(t) ⊙ h(t+1)} (outputs are not masked; LSTM's c is not).
     *
     * @param stateMask   {@code [time, batch, hidden]} values (0 or 1/keep), or null
     * @param keepOutputs false when only the final state is needed: the outputs are then null
     */
    SequenceResult forwardSequence(Variable x, int[] lengths, State initial, float[] stateMask, boolean keepOutputs) {
        Shape.requireRank(type.id() + " input", x.shape(), 3, "[batch, time, features]");
        if (x.dim(2) != inputSize) {
            throw new ShapeException(type.id() + ": input features: expected " + inputSize + ", got " + x.dim(2)
                    + " (input shape " + Shape.toString(x.shape()) + ")");
        }
        int batch = x.dim(0);
        SequenceLengths.requireNonEmpty(type.id() + " input", x.shape());
        SequenceLengths.validate(lengths, batch, x.dim(1));
        if (initial != null) {
            checkState("initial state", initial, batch);
        }
        if (stateMask != null && stateMask.length != x.dim(1) * batch * hiddenSize) {
            throw new ShapeException(type.id() + ": state mask: expected " + x.dim(1) * batch * hiddenSize + " values [time, batch, hidden], got "
                    + stateMask.length);
        }
        FusedSequence op = fused(x.value(), lengths, initial, stateMask);
        return op.run(x, initial == null ? null : initial.h(), keepOutputs);
    }

    /** The cell's fused sequence kernel for one call. */
    abstract FusedSequence fused(Tensor x, int[] lengths, State initial, float[] stateMask);

    void checkState(String what, State state, int batch) {
        int[] expected = {batch, hiddenSize};
        Shape.requireEqual(type.id() + " " + what + " h", expected, state.h().shape());
        if (type == CellType.LSTM) {
            if (state.c() == null) {
                throw new IllegalArgumentException("lstm " + what + ": the state needs both h and c");
            }
            Shape.requireEqual("lstm " + what + " c", expected, state.c().shape());
        } else if (state.c() != null) {
            throw new IllegalArgumentException(type.id() + " " + what + ": the state has a c " + Shape.toString(state.c().shape())
                    + ", but " + type.id() + " cells carry only h (c belongs to lstm)");
        }
    }

    @Override
    public String toString() {
        return type.id() + "(" + inputSize + " -> " + hiddenSize + ")";
    }
}
