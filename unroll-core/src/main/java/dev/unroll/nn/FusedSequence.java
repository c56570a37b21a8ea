package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.GemmOp;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.PackedMatrix;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of a whole batch of sequences through a recurrent cell as a single autograd operation
 * with a hand-written backward (seed §7, the fast path). Subclasses supply the cell's step
 * arithmetic; this class owns everything the three cells share:
 *
 * <ul>
 *   <li>Layout: internal buffers are time-major ({@code [T, B, ·]}), so the rows of one step are
 *       one contiguous block and every product is a plain GEMM.</li>
 *   <li>One small GEMM per step for the whole pre-activation, {@code [x | 1 | h]·[W_ih | b | W_hh]ᵀ}
 *       (GRU, whose hidden projection stays apart: {@code [x | 1]·[W_ih | b]ᵀ} and
 *       {@code h·W_hhᵀ}); the weight gradients as large GEMMs
 *       ({@code dW_ih = dGᵀ·X}, {@code dW_hh = dGᵀ·H_prev} summed over all T·B rows) after the
 *       backward loop — or, when the gate gradients outgrow the cache, two products per group of
 *       steps inside it, while they are still in cache.</li>
 *   <li>Threads: the batch rows are split into blocks and each thread runs its block through all
 *       time steps (rows of a batch are independent; the backward threads meet once per group of
 *       steps only when they share the in-loop weight gradients out). Every element is computed by
 *       the same instructions whatever the split, so results do not depend on the thread
 *       count.</li>
 *   <li>Sequence lengths (seed §8): past its length an instance's state is carried unchanged, its
 *       outputs are zero, and no gradient flows from those steps.</li>
 *   <li>Memory: only what backpropagation needs is kept — the time-major input, the states
 *       {@code h(0..T)} and the cell's activated gates (plus {@code c} and {@code tanh c} for
 *       LSTM); the time loops allocate nothing.</li>
 * </ul>
 */
abstract class FusedSequence {
    /** Below this many rows per thread a batch is not split (a tiny GEMM per step is not worth a thread). */
    private static final int MIN_ROWS_PER_THREAD = 16;
    /**
     * Gate gradients of a pass larger than this (bytes) no longer stay in cache until a product
     * after the backward loop: the weight gradients are then added inside the loop (see
     * {@link #weightGradientsOfGroup}). Measured on W6's shapes (10 and 15 MB): the product after
     * the loop took 2.5 ms with its operands cold against 1.6 ms warm. Below it (W1's 2.5 MB), one
     * product after the loop is faster than many small ones.
     */
    private static final long IN_LOOP_GRADIENT_BYTES = 4L << 20;
    /**
     * Inside the loop, the weight gradients are added once per group of steps of about
     * this many rows in all (at least one step): the depth of one k-block of the GEMM, so that the
     * gradient's elements are loaded and stored once per k-block, as in a single large product.
     */
    private static final int WEIGHT_PRODUCT_ROWS = 256;
    /** Bands of gate rows shared out for the weight gradients start at multiples of the GEMM's tile height. */
    private static final int GATE_BAND_ALIGN = 6;

    protected final KernelProvider k = Kernels.provider();
    protected final RecurrentCell cell;
    protected final int batch;
    protected final int steps;
    protected final int inputs;
    protected final int hidden;
    /** Width of the stacked gates, G·H. */
    protected final int gateWidth;
    /** Per-instance lengths, or null when every sequence has all {@link #steps} steps. */
    protected final int[] lengths;

    /**
     * {@code [T, B, I + 1]}: the input, time-major, each row ending with a 1 so that one product
     * with {@code [W_ih | b]} adds the bias, and one product with the gate gradients gives the bias
     * gradient along with {@code dW_ih} (training only).
     */
    protected float[] inputTimeMajor;
    /** Row length of {@link #inputTimeMajor}: I + 1. */
    private final int inputWidth;
    /** Steps per product of the recurrent weight gradient in the backward loop. */
    private final int stepsPerWeightProduct;
    /** Whether this backward pass adds the recurrent weight gradient inside its time loop. */
    private boolean weightGradientInLoop;
    /** The cell's reusable buffers: taken for a training pass, given back after its backward pass. */
    protected final BufferPool pool;
    /** {@code [T, B, G·H]}: pre-activations, turned into activated gates by the forward steps (training only). */
    protected float[] gates;
    /**
     * {@code [T+1, B, H]}: {@code h(0)} (the initial state) then the recurrent state after each step
     * — with state dropout, the state as passed on, {@code m(t) ⊙ h(t+1)}.
     */
    protected float[] hs;
    /** {@code [T, B, H]} state dropout mask (0 or 1/keep; 1 past an instance's length), or null. */
    protected final float[] stateMask;
    /**
     * The cell outputs {@code h(t+1)} before state dropout, indexed like {@link #hs}; the same array
     * as {@code hs} when there is no state dropout.
     */
    protected float[] outs;
    /** The input, batch-major {@code [B, T, I]}. */
    private final Tensor input;

    /**
     * {@code [T, B, W]}: the gradients of the loss with respect to the pre-activations, one row of
     * {@link #gradientWidth} per instance and step: the input side's in columns {@code [0, G·H)} and
     * the hidden side's in columns {@code [a, a + G·H)}, {@code a} = {@link #hiddenGradientColumn()}
     * (0: the same, unless GRU).
     */
    protected float[] dGates;
    /** Row length of {@link #dGates}: {@code a + G·H}. */
    protected final int gradientWidth;
    /** {@code [B, T, H]}: the gradient of the outputs, read in place; null if no output was used. */
    private Tensor outputGradient;
    /** {@code [B, T, H]}: the outputs, written by the forward steps (training, when kept). */
    private Tensor outputs;
    /** {@code [B, H]}: gradient with respect to the final h, then (after backward) the initial h. */
    protected float[] dh;
    /** False when nothing needs the gradient of the initial h: the last backward product is skipped. */
    private boolean initialStateGradient;
    /**
     * Packed once for the per-step products of the forward pass: {@code [W_ih | b | W_hh]ᵀ}
     * (over {@code [x | 1 | h]} rows), or {@code W_hhᵀ} where the hidden projection stays apart.
     */
    private PackedMatrix stepWeights;
    /** {@code [W_ih | b]ᵀ} packed once, where the hidden projection stays apart. */
    private PackedMatrix inputWeights;
    /** {@code W_hh} packed once for the per-step products of the backward pass. */
    private PackedMatrix recurrent;
    /** The gradients of W_hh and b_hh, added to during the backward pass. */
    private Tensor dWhh;
    private Tensor dBhh;
    /** {@code [I + 1, G·H]}: {@code [dW_ih | db]ᵀ}, summed during the backward pass, added to the parameters' gradients after it. */
    private float[] dStackedT;

    protected FusedSequence(RecurrentCell cell, Tensor input, int[] lengths, float[] stateMask) {
        this.cell = cell;
        this.batch = input.dim(0);
        this.steps = input.dim(1);
        this.inputs = input.dim(2);
        this.hidden = cell.hiddenSize();
        this.gateWidth = cell.type().gates * hidden;
        this.gradientWidth = hiddenGradientColumn() + gateWidth;
        this.lengths = lengths;
        this.input = input;
        this.stateMask = stateMask;
        this.pool = cell.buffers;
        this.inputWidth = inputs + 1;
        this.stepsPerWeightProduct = Math.max(1, WEIGHT_PRODUCT_ROWS / Math.max(1, batch));
    }

    /**
     * Takes what the training pass keeps for backpropagation from the pool (contents stale: every
     * element read later is written first); cells with more state extend it. Inference needs none
     * of it.
     */
    protected void allocateTraining(Variable h0) {
        inputTimeMajor = pool.take(steps * batch * inputWidth);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int row = at(t, b, inputWidth);
                if (finished(b, t)) {
                    // Padding is zeroed, not copied: its gate gradients are zero, but the weight
                    // gradient's product over all rows would turn a NaN or infinity there into NaN.
                    java.util.Arrays.fill(inputTimeMajor, row, row + inputs, 0f);
                } else {
                    System.arraycopy(input.data(), input.offset() + (b * steps + t) * inputs, inputTimeMajor, row, inputs);
                }
                inputTimeMajor[row + inputs] = 1f;
            }
        }
        gates = pool.take(steps * batch * gateWidth);
        hs = pool.take((steps + 1) * batch * hidden);
        initialRows(hs, h0);
        outs = stateMask == null ? hs : pool.take((steps + 1) * batch * hidden);
    }

    /** Writes the initial state (or zeros) into step 0 of a time-major state buffer. */
    protected final void initialRows(float[] states, Variable initial) {
        if (initial != null) {
            System.arraycopy(initial.value().data(), initial.value().offset(), states, 0, batch * hidden);
        } else {
            java.util.Arrays.fill(states, 0, batch * hidden, 0f);
        }
    }

    /** Gives the training buffers back to the pool once the backward pass is done with them. */
    protected void releaseTraining() {
        pool.give(inputTimeMajor, gates, hs, outs == hs ? null : outs, dGates);
        inputTimeMajor = null;
        gates = null;
        hs = null;
        outs = null;
        dGates = null;
        outputGradient = null;
    }

    /** True when instance {@code b} has ended before step {@code t}. */
    protected final boolean finished(int b, int t) {
        return lengths != null && t >= lengths[b];
    }

    /** Offset of row {@code b} of step {@code t} in a time-major buffer of the given width. */
    protected final int at(int t, int b, int width) {
        return (t * batch + b) * width;
    }

    // ------------------------------------------------------------------ subclass hooks

    /** Bias added to every row of the input projection (b_ih, plus b_hh where the cell allows). */
    protected abstract Tensor projectionBias();

    /**
     * How many leading entries of b_hh receive the same gradient as b_ih: all of them when
     * {@link #projectionBias()} includes b_hh (RNN, LSTM); GRU overrides. The rest are summed from
     * the hidden-side gate gradients.
     */
    protected int sharedBiasGradients() {
        return gateWidth;
    }

    /**
     * Where the hidden-side gate gradients start in a row of {@link #dGates}: 0 when they equal the
     * input side's. A cell whose two sides differ only in their last {@code a} gate columns (GRU:
     * the n gate) returns {@code a}: the row is then {@code [input side of those | hidden side]},
     * and the input side reads columns {@code [0, G·H)} with those columns first (see
     * {@link #inputGateOfColumn}). Called from the constructor: it may use {@link #hidden} only.
     */
    protected int hiddenGradientColumn() {
        return 0;
    }

    /** The gate (row of W_ih) of input-side gradient column {@code c} (see {@link #hiddenGradientColumn}). */
    private int inputGateOfColumn(int c) {
        int a = gradientWidth - gateWidth;
        return c < a ? gateWidth - a + c : c - a;
    }

    /**
     * A block of batch rows {@code [r0, r1)} that one thread runs through all steps, with its
     * per-block buffers.
     */
    protected static final class Block {
        final int r0;
        final int r1;
        final int m;
        /** {@code [m, H]}: the gradient reaching h(t+1) (backward). */
        float[] dhNext;
        /** {@code [m, H]}: the gradient reaching h(t) (backward). */
        float[] dhPrev;
        /** Cell-specific rows: GRU's hidden projection (forward) or direct path (backward); LSTM's dc. */
        float[] cell;
        /** {@code [m, I + 1 + H]}: the rows {@code [x(t) | 1 | h(t)]} of a step's product (forward). */
        float[] xh;

        Block(int r0, int r1) {
            this.r0 = r0;
            this.r1 = r1;
            this.m = r1 - r0;
        }
    }

    /**
     * One forward step of a block: from {@code hs[t]} (and the cell's own state) and the input
     * projection in {@code gates[t]}, writes {@code hs[t+1]} for the block's active rows.
     */
    protected abstract void forwardStep(int t, Block block);

    /** The time-major state buffers an ended instance carries unchanged: h, and LSTM's c. */
    protected float[][] carriedStates() {
        return new float[][] {hs};
    }

    /**
     * One backward step of a block: from {@code block.dhNext} (the gradient reaching h(t+1)) and
     * the cell's own state gradients, writes the gate gradients {@code dGates[t]} of the
     * active rows.
     */
    protected abstract void backwardStep(int t, Block block);

    /** Per-block buffers of a cell, before its forward ({@code forward}) or backward pass. */
    protected void beginBlock(Block block, boolean forward) {
    }

    /** After a block's backward pass: the cell's own initial-state gradients (LSTM's dc). */
    protected void endBackwardBlock(Block block) {
    }

    /** After the product {@code dhPrev = dG·W_hh}: a cell's direct path to h(t) (GRU's z ⊙ dh'). */
    protected void addDirectGradient(int t, Block block) {
    }

    /** Runs a block of rows through all steps. */
    private void forwardRows(int r0, int r1) {
        Block block = new Block(r0, r1);
        if (!hiddenProjectionApart()) {
            block.xh = new float[block.m * (inputWidth + hidden)];
        }
        beginBlock(block, true);
        float[][] carried = carriedStates();
        for (int t = 0; t < steps; t++) {
            forwardStep(t, block);
            carryEnded(t, r0, r1, carried);
            dropState(t, r0, r1);
            storeOutputs(t, r0, r1);
        }
    }

    /**
     * Copies the outputs of step t, {@code h(t+1)} before state dropout, into the batch-major
     * {@link #outputs} while they are in cache; rows that have ended stay zero.
     */
    private void storeOutputs(int t, int r0, int r1) {
        if (outputs == null) {
            return;
        }
        float[] y = outputs.data();
        for (int b = r0; b < r1; b++) {
            if (!finished(b, t)) {
                System.arraycopy(outs, at(t + 1, b, hidden), y, (b * steps + t) * hidden, hidden);
            }
        }
    }

    /**
     * Runs a block of rows backwards through all steps, from {@link #dh} (gradient of the final h)
     * and {@link #outputGradient}, filling the gate gradients and leaving the initial h's gradient in
     * {@link #dh}. When the weight gradients are added inside the loop, the members of the team run
     * their blocks in step: once every block has the gate gradients of a group of steps, each member
     * adds its band of that group's weight gradients (see {@link #weightGradientsOfGroup}).
     */
    private void backwardRows(int member, Parallel.Team team) {
        int per = (batch + team.size() - 1) / team.size();
        int r0 = Math.min(batch, member * per);
        int r1 = Math.min(batch, r0 + per);
        Block block = new Block(r0, r1);
        int n = block.m * hidden;
        block.dhNext = new float[n];
        block.dhPrev = new float[n];
        System.arraycopy(dh, r0 * hidden, block.dhNext, 0, n);
        beginBlock(block, false);
        for (int t = steps - 1; t >= 0; t--) {
            if (block.m > 0) {
                gradientOfOutput(t, r0, r1, block.dhNext);
                backwardStep(t, block);
                zeroEndedGradients(t, r0, r1);
                backRecurrentProjection(t, r0, r1, block.dhPrev);
                addDirectGradient(t, block);
                passThroughEnded(t, r0, r1, block.dhNext, block.dhPrev);
                float[] swap = block.dhNext;
                block.dhNext = block.dhPrev;
                block.dhPrev = swap;
            }
            if (weightGradientInLoop && t % stepsPerWeightProduct == 0) {
                team.await();
                weightGradientsOfGroup(t, Math.min(steps, t + stepsPerWeightProduct), member, team.size());
            }
        }
        System.arraycopy(block.dhNext, 0, dh, r0 * hidden, n);
        if (block.m > 0) {
            endBackwardBlock(block);
        }
    }

    /**
     * Whether a backward pass with gate gradients of {@code [T, B, gradientWidth]} adds the weight gradients inside its time loop (see {@link #IN_LOOP_GRADIENT_BYTES}).
     */
    static boolean weightGradientInLoop(int steps, int batch, int gradientWidth) {
        return (long) steps * batch * gradientWidth * Float.BYTES > IN_LOOP_GRADIENT_BYTES;
    }

    /**
     * Adds the terms of steps {@code [t0, t1)} to the weight gradients inside the backward loop,
     * with the gate gradients still in cache: member {@code member} of {@code members} takes
     * a band of the gates of {@link #addWeightGradients}. Each element is summed in the
     * same order whatever the number of members (the groups of steps depend only on the shapes),
     * so the result does not depend on the thread count.
     */
    private void weightGradientsOfGroup(int t0, int t1, int member, int members) {
        // Bands of whole micro-kernel tiles; the last one runs to the end.
        int tiles = Math.max(1, gateWidth / GATE_BAND_ALIGN);
        int tilesPerBand = (tiles + members - 1) / members;
        int bands = (tiles + tilesPerBand - 1) / tilesPerBand;
        if (member >= bands) {
            return;
        }
        int g0 = member * tilesPerBand * GATE_BAND_ALIGN;
        int g1 = member == bands - 1 ? gateWidth : g0 + tilesPerBand * GATE_BAND_ALIGN;
        addWeightGradients(t0, t1, g0, g1, false);
    }

    /**
     * Adds the terms of steps {@code [t0, t1)} of the whole batch, for gates {@code [g0, g1)}, to the
     * weight gradients: {@code dW_hh[g0:g1] += Σ_t dG(t)[:, g0:g1]ᵀ·h(t)}, b_hh's own part
     * ({@code Σ dG(t)}, where it is not shared with b_ih), and
     * {@code dStackedT[:, g0:g1] += Σ_t [x(t) | 1]ᵀ·dG(t)[:, g0:g1]} (input weight and bias) — on
     * all threads when {@code parallel}, else on the calling one. The input side is computed
     * transposed so that the gate gradients are the operand read row by row; its few rows let the
     * GEMM read them in place.
     */
    private void addWeightGradients(int t0, int t1, int g0, int g1, boolean parallel) {
        int rows = (t1 - t0) * batch;
        int inputSide = at(t0, 0, gradientWidth);
        int hiddenSide = inputSide + gradientWidth - gateWidth;
        gemm(parallel, GemmOp.TN, g1 - g0, hidden, rows, dGates, hiddenSide + g0, gradientWidth, hs, at(t0, 0, hidden), hidden,
                dWhh.data(), dWhh.offset() + g0 * hidden, hidden);
        gemm(parallel, GemmOp.TN, inputWidth, g1 - g0, rows, inputTimeMajor, at(t0, 0, inputWidth), inputWidth,
                dGates, inputSide + g0, gradientWidth, dStackedT, g0, gateWidth);
        int own = Math.max(g0, sharedBiasGradients());
        if (own < g1) {
            k.sumRows(rows, g1 - own, dGates, hiddenSide + own, gradientWidth, dBhh.data(), dBhh.offset() + own, true);
        }
    }

    /** {@code C += op(A)·op(B)} on all threads or on the calling one. */
    private void gemm(boolean parallel, GemmOp op, int m, int n, int depth, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (parallel) {
            Kernels.gemm(op, m, n, depth, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true);
        } else {
            k.gemm(op, m, n, depth, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true);
        }
    }

    /**
     * True when the cell needs its hidden projection {@code h·W_hhᵀ} on its own (GRU's reset gate
     * multiplies it): each training step then makes two products, {@code [x(t) | 1]·[W_ih | b]ᵀ}
     * into the gates and {@code h(t)·W_hhᵀ}. Otherwise each step makes its whole pre-activation in
     * one product over {@code [x(t) | 1 | h(t)]}, written straight into the gates.
     */
    protected boolean hiddenProjectionApart() {
        return false;
    }

    /** The initial memory cell, for cells that have one (LSTM), or null. */
    protected Variable initialCell() {
        return null;
    }

    /** Extra outputs beyond {@code [outputs, h_T]} (LSTM: {@code c_T}). */
    protected List<Tensor> extraFinalStates() {
        return List.of();
    }

    /** Extra initial states beyond {@code h0} (LSTM: {@code c0}). */
    protected List<Variable> extraInitialStates() {
        return List.of();
    }

    /** Takes the gradients of the extra final states before the backward loop. */
    protected void setExtraFinalStateGradients(List<Tensor> grads) {
    }

    /** Adds the gradients of the extra initial states after the backward loop. */
    protected void accumulateExtraInitialStateGradients() {
    }


    // ------------------------------------------------------------------ the operation

    /**
     * Forward over the sequence; records the backward rule when gradients are needed, otherwise
     * runs the lean inference loop.
     *
     * @param keepOutputs false when only the final state will be used (the outputs are then null)
     */
    final SequenceResult run(Variable input, Variable h0, boolean keepOutputs) {
        List<Variable> in = new ArrayList<>(List.of(input, cell.weightIh().variable(), cell.weightHh().variable(),
                cell.biasIh().variable(), cell.biasHh().variable()));
        in.add(h0);
        in.addAll(extraInitialStates());
        Variable[] operands = in.toArray(new Variable[0]);
        if (!Autograd.needsGrad(operands)) {
            return infer(h0, keepOutputs);
        }
        allocateTraining(h0);
        if (hiddenProjectionApart()) {
            inputWeights = k.pack(true, inputWidth, gateWidth,
                    CellStep.stacked(gateWidth, inputWidth, cell.weightIh().value(), projectionBias()), 0, inputWidth);
            Tensor whh = cell.weightHh().value();
            stepWeights = k.pack(true, hidden, gateWidth, whh.data(), whh.offset(), hidden);
        } else {
            stepWeights = new CellStep(cell).stackedWeights();
        }
        outputs = keepOutputs ? Tensor.zeros(batch, steps, hidden) : null;
        forEachRowBlock(this::forwardRows);

        Tensor hT = Tensor.wrap(hs, steps * batch * hidden, batch, hidden).copy();
        List<Tensor> results = new ArrayList<>();
        if (keepOutputs) {
            results.add(outputs);
            outputs = null;
        }
        results.add(hT);
        results.addAll(extraFinalStates());
        int first = keepOutputs ? 1 : 0;
        List<Variable> out = Autograd.recordMulti(cell.type().id() + "Sequence", results.toArray(new Tensor[0]), grads -> {
            Tensor[] all = new Tensor[grads.length + 1 - first];
            System.arraycopy(grads, 0, all, 1 - first, grads.length);
            backward(all, input, h0);
        }, operands);
        Variable hFinal = out.get(first);
        State finalState = out.size() > first + 1 ? new State(hFinal, out.get(first + 1)) : State.of(hFinal);
        return new SequenceResult(keepOutputs ? out.get(0) : null, finalState);
    }

    /**
     * Inference: no gradient, so nothing is kept per step. Each thread takes a block of rows and
     * runs it through time on {@code [rows, ·]} buffers that stay in cache; the input is read in
     * place (batch-major, strided), both weight matrices prepacked once.
     */
    private SequenceResult infer(Variable h0, boolean keepOutputs) {
        CellStep step = new CellStep(cell);
        Variable c0 = initialCell();
        boolean cellState = step.hasCell();
        Tensor outputs = keepOutputs ? Tensor.zeros(batch, steps, hidden) : null;
        Tensor hT = Tensor.zeros(batch, hidden);
        Tensor cT = cellState ? Tensor.zeros(batch, hidden) : null;
        forEachRowBlock((r0, r1) -> {
            int m = r1 - r0;
            CellStep.Rows rows = step.rows(m);
            for (int r = 0; r < m; r++) {
                if (h0 != null) {
                    System.arraycopy(h0.value().data(), h0.value().offset() + (r0 + r) * hidden, rows.xh, rows.hidden(r), hidden);
                }
            }
            if (c0 != null) {
                System.arraycopy(c0.value().data(), c0.value().offset() + r0 * hidden, rows.c, 0, m * hidden);
            }
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < m; r++) {
                    System.arraycopy(input.data(), input.offset() + ((r0 + r) * steps + t) * inputs, rows.xh, rows.input(r), inputs);
                }
                step.step(m, rows);
                for (int b = r0; b < r1; b++) {
                    int row = rows.hidden(b - r0);
                    if (finished(b, t)) {
                        System.arraycopy(rows.xh, row, rows.xhNext, row, hidden);
                        if (cellState) {
                            System.arraycopy(rows.c, (b - r0) * hidden, rows.cNext, (b - r0) * hidden, hidden);
                        }
                        continue;
                    }
                    if (outputs != null) {
                        System.arraycopy(rows.xhNext, row, outputs.data(), (b * steps + t) * hidden, hidden);
                    }
                    if (stateMask != null) {
                        k.mul(hidden, rows.xhNext, row, stateMask, at(t, b, hidden), rows.xhNext, row, false);
                    }
                }
                rows.swap();
            }
            for (int r = 0; r < m; r++) {
                System.arraycopy(rows.xh, rows.hidden(r), hT.data(), (r0 + r) * hidden, hidden);
            }
            if (cellState) {
                System.arraycopy(rows.c, 0, cT.data(), r0 * hidden, m * hidden);
            }
        });
        State finalState = new State(Variable.constant(hT), cellState ? Variable.constant(cT) : null);
        return new SequenceResult(outputs == null ? null : Variable.constant(outputs), finalState);
    }

    private void backward(Tensor[] grads, Variable input, Variable h0) {
        dGates = pool.take(steps * batch * gradientWidth);
        // Null when no output was used (a classifier on the final state).
        outputGradient = grads[0];
        dh = grads[1] != null ? grads[1].toArray() : new float[batch * hidden];
        List<Tensor> extra = new ArrayList<>();
        for (int i = 2; i < grads.length; i++) {
            extra.add(grads[i] != null ? grads[i] : Tensor.zeros(batch, hidden));
        }
        setExtraFinalStateGradients(extra);
        Tensor whhValue = cell.weightHh().value();
        recurrent = k.pack(false, gateWidth, hidden, whhValue.data(), whhValue.offset(), hidden);
        initialStateGradient = h0 != null && h0.requiresGrad();
        dWhh = cell.weightHh().variable().gradForAccumulation();
        dBhh = cell.biasHh().variable().gradForAccumulation();
        dStackedT = new float[inputWidth * gateWidth];
        weightGradientInLoop = weightGradientInLoop(steps, batch, gradientWidth);
        Parallel.together(Math.max(1, batch / MIN_ROWS_PER_THREAD), this::backwardRows);
        if (!weightGradientInLoop) {
            addWeightGradients(0, steps, 0, gateWidth, true);
        }

        int rows = steps * batch;
        Variable wih = cell.weightIh().variable();
        // The ones column of [X | 1] made the input-side product give the bias gradient Σ dGates too.
        // Its columns are the input side's gradient columns: gate inputGateOfColumn(c).
        Tensor dWih = wih.gradForAccumulation();
        Tensor dBih = cell.biasIh().variable().gradForAccumulation();
        float[] dw = dWih.data();
        int biasRow = inputs * gateWidth;
        int shared = sharedBiasGradients();
        for (int c = 0; c < gateWidth; c++) {
            int g = inputGateOfColumn(c);
            int row = dWih.offset() + g * inputs;
            for (int i = 0; i < inputs; i++) {
                dw[row + i] += dStackedT[i * gateWidth + c];
            }
            dBih.data()[dBih.offset() + g] += dStackedT[biasRow + c];
            if (g < shared) {
                dBhh.data()[dBhh.offset() + g] += dStackedT[biasRow + c];
            }
        }

        if (input.requiresGrad()) {
            // W_ih's rows in the order of the input side's gradient columns.
            Tensor w = wih.value();
            float[] weights = new float[gateWidth * inputs];
            for (int c = 0; c < gateWidth; c++) {
                System.arraycopy(w.data(), w.offset() + inputGateOfColumn(c) * inputs, weights, c * inputs, inputs);
            }
            // The time-major input is no longer needed: its buffer receives dX, time-major.
            float[] dxTimeMajor = inputTimeMajor;
            Kernels.gemm(GemmOp.NN, rows, inputs, gateWidth, dGates, 0, gradientWidth, weights, 0, inputs,
                    dxTimeMajor, 0, inputWidth, false);
            Tensor dx = input.gradForAccumulation();
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    k.axpy(inputs, 1f, dxTimeMajor, at(t, b, inputWidth), dx.data(), dx.offset() + (b * steps + t) * inputs);
                }
            }
        }
        if (h0 != null && h0.requiresGrad()) {
            Tensor g = h0.gradForAccumulation();
            k.axpy(batch * hidden, 1f, dh, 0, g.data(), g.offset());
        }
        accumulateExtraInitialStateGradients();
        dWhh = null;
        dBhh = null;
        dStackedT = null;
        releaseTraining();
    }

    /** Runs {@code body(r0, r1)} over fixed blocks of batch rows, in parallel. */
    private void forEachRowBlock(RowBlock body) {
        int blocks = Math.max(1, Math.min(Parallel.threads(), batch / MIN_ROWS_PER_THREAD));
        int per = (batch + blocks - 1) / blocks;
        Parallel.run(blocks, blk -> {
            int r0 = blk * per;
            int r1 = Math.min(batch, r0 + per);
            if (r0 < r1) {
                body.run(r0, r1);
            }
        });
    }

    @FunctionalInterface
    private interface RowBlock {
        void run(int r0, int r1);
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /**
     * The products of one step with the prepacked weights, into {@code target} ({@code [m, G·H]}
     * rows): the whole pre-activation {@code [x(t) | 1 | h(t)]·[W_ih | b | W_hh]ᵀ} of the block's
     * rows — or, where the hidden projection stays apart, that projection {@code h(t)·W_hhᵀ}, the
     * input side {@code [x(t) | 1]·[W_ih | b]ᵀ} going into the step's rows of the gates.
     */
    protected final void stepProjection(int t, Block block, float[] target, int targetOff) {
        if (hiddenProjectionApart()) {
            k.gemm(block.m, inputTimeMajor, at(t, block.r0, inputWidth), inputWidth, inputWeights,
                    gates, at(t, block.r0, gateWidth), gateWidth, false);
            k.gemm(block.m, hs, at(t, block.r0, hidden), hidden, stepWeights, target, targetOff, gateWidth, false);
            return;
        }
        int width = inputWidth + hidden;
        for (int r = 0; r < block.m; r++) {
            System.arraycopy(inputTimeMajor, at(t, block.r0 + r, inputWidth), block.xh, r * width, inputWidth);
            System.arraycopy(hs, at(t, block.r0 + r, hidden), block.xh, r * width + inputWidth, hidden);
        }
        k.gemm(block.m, block.xh, 0, width, stepWeights, target, targetOff, gateWidth, false);
    }

    /**
     * {@code dhPrev[0:m] = dGates[t, r0:r1]·W_hh} — the gradient reaching the previous state through
     * the recurrent weights (skipped at t = 0 when no initial state wants a gradient; dhPrev is
     * then not meaningful).
     */
    protected final void backRecurrentProjection(int t, int r0, int r1, float[] dhPrev) {
        if (t == 0 && !initialStateGradient) {
            return;
        }
        k.gemm(r1 - r0, dGates, at(t, r0, gradientWidth) + gradientWidth - gateWidth, gradientWidth, recurrent, dhPrev, 0, hidden, false);
    }

    /**
     * The first row in {@code [from, r1)} still active at step t, or {@code r1}. With
     * {@link #runEnd} it walks the maximal runs of active rows of a block:
     * {@code for (a0 = nextActive(t, r0, r1); a0 < r1; a0 = nextActive(t, a1, r1)) { a1 = runEnd(t, a0, r1); … }}
     * (a plain loop: nothing is allocated per step).
     */
    protected final int nextActive(int t, int from, int r1) {
        int b = from;
        while (lengths != null && b < r1 && finished(b, t)) {
            b++;
        }
        return b;
    }

    /** The end (exclusive) of the run of rows active at step t that starts at {@code a0}. */
    protected final int runEnd(int t, int a0, int r1) {
        if (lengths == null) {
            return r1;
        }
        int b = a0;
        while (b < r1 && !finished(b, t)) {
            b++;
        }
        return b;
    }

    /** Zero gate gradients at step t for the rows of {@code [r0, r1)} that ended before it (no gradient from padding). */
    protected final void zeroEndedGradients(int t, int r0, int r1) {
        if (lengths == null) {
            return;
        }
        for (int b = r0; b < r1; b++) {
            if (finished(b, t)) {
                java.util.Arrays.fill(dGates, at(t, b, gradientWidth), at(t, b, gradientWidth) + gradientWidth, 0f);
            }
        }
    }

    /**
     * For the rows of {@code [r0, r1)} that ended before step t, whose state was carried: the
     * gradient of the previous state is the incoming one ({@code dhPrev ← dhNext}).
     */
    protected final void passThroughEnded(int t, int r0, int r1, float[] dhNext, float[] dhPrev) {
        if (lengths == null) {
            return;
        }
        for (int b = r0; b < r1; b++) {
            if (finished(b, t)) {
                System.arraycopy(dhNext, (b - r0) * hidden, dhPrev, (b - r0) * hidden, hidden);
            }
        }
    }

    /** Carries the states of the rows that ended before step t into step t+1. */
    protected final void carryEnded(int t, int r0, int r1, float[][] states) {
        if (lengths == null) {
            return;
        }
        for (int b = r0; b < r1; b++) {
            if (finished(b, t)) {
                for (float[] s : states) {
                    carryState(s, t, b);
                }
            }
        }
    }

    /**
     * State dropout after step t on rows {@code [r0, r1)}: keeps the cell outputs in {@link #outs}
     * and passes {@code m(t) ⊙ h(t+1)} on as the state. Call after the step has written
     * {@code hs[t+1]}.
     */
    protected final void dropState(int t, int r0, int r1) {
        if (stateMask == null) {
            return;
        }
        // Only rows still running: an ended instance's carried state is not dropped again.
        for (int a0 = nextActive(t, r0, r1), a1; a0 < r1; a0 = nextActive(t, a1, r1)) {
            a1 = runEnd(t, a0, r1);
            int n = (a1 - a0) * hidden;
            int next = at(t + 1, a0, hidden);
            System.arraycopy(hs, next, outs, next, n);
            k.mul(n, hs, next, stateMask, at(t, a0, hidden), hs, next, false);
        }
    }

    /**
     * The gradient reaching step t's output h(t+1): {@code g = m(t) ⊙ dState + dY(t)}, in place in
     * {@code g} (rows {@code [r0, r1)}), where {@code dState} (in {@code g} on entry) is the
     * gradient of the state passed on.
     */
    protected final void gradientOfOutput(int t, int r0, int r1, float[] g) {
        if (stateMask != null) {
            for (int a0 = nextActive(t, r0, r1), a1; a0 < r1; a0 = nextActive(t, a1, r1)) {
                a1 = runEnd(t, a0, r1);
                k.mul((a1 - a0) * hidden, g, (a0 - r0) * hidden, stateMask, at(t, a0, hidden), g, (a0 - r0) * hidden, false);
            }
        }
        if (outputGradient != null) {
            // dY is [B, T, H]: one row per instance; padding steps give no gradient.
            float[] dy = outputGradient.data();
            for (int b = r0; b < r1; b++) {
                if (!finished(b, t)) {
                    int row = (b - r0) * hidden;
                    k.add(hidden, g, row, dy, outputGradient.offset() + (b * steps + t) * hidden, g, row);
                }
            }
        }
    }

    /** Copies row {@code b}'s state at step t into step t+1 (an instance that has ended keeps its state). */
    protected final void carryState(float[] states, int t, int b) {
        System.arraycopy(states, at(t, b, hidden), states, at(t + 1, b, hidden), hidden);
    }
}
