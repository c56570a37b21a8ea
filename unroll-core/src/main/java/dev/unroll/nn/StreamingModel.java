package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.GemmOp;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateful, step-by-step inference over a {@link Sequential} model: {@link #step} takes the input
 * of one time step and returns the model's output for it, carrying the recurrent states to the
 * next call; {@link #reset()} returns to zero states. Feeding a sequence step by step gives the
 * same outputs as running the whole sequence at once.
 *
 * <p>This is the fast way to generate (seed §14): each step costs one small product per layer,
 * instead of re-running a whole window. Buffers are allocated once; a step allocates nothing and
 * calls the kernels directly (no autograd).
 *
 * <p>Supported layers: unidirectional {@link Recurrent} (any cell, any depth; with
 * {@code returnSequences(false)} the step output is the current state, i.e. what the model would
 * output if the sequence ended here), {@link Dense}, {@link LayerNormalization} and
 * {@link DropoutLayer} (inactive at inference).
 */
public final class StreamingModel {
    private final int batch;
    private final int inputSize;
    private final List<Stage> stages = new ArrayList<>();
    private final int outputSize;

    /** One layer turned into a step function on preallocated {@code [batch, size]} buffers. */
    private interface Stage {
        float[] apply(float[] in);

        void reset();

        int outputSize();
    }

    public StreamingModel(Sequential model, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("streaming: batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        int size = -1;
        int first = -1;
        for (Layer layer : model.layers()) {
            Stage stage;
            if (layer instanceof Recurrent r) {
                if (r.bidirectional()) {
                    throw new IllegalArgumentException("streaming: a bidirectional layer needs the whole sequence; "
                            + "it cannot run one step at a time");
                }
                stage = new RecurrentStage(r, batch);
                if (size >= 0 && size != r.inputSize()) {
                    throw new ShapeException("streaming: " + r + " expects " + r.inputSize() + " features, the previous layer gives " + size);
                }
                if (first < 0) {
                    first = r.inputSize();
                }
            } else if (layer instanceof Dense d) {
                stage = new DenseStage(d, batch);
                if (first < 0) {
                    first = d.inputSize();
                }
            } else if (layer instanceof LayerNormalization n) {
                stage = new NormalizationStage(n, batch);
                if (first < 0) {
                    first = n.features();
                }
            } else if (layer instanceof DropoutLayer) {
                continue;
            } else {
                throw new IllegalArgumentException("streaming: unsupported layer " + layer + " (kind " + layer.kind() + ")");
            }
            stages.add(stage);
            size = stage.outputSize();
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("streaming: the model has no layer to run");
        }
        this.inputSize = first;
        this.outputSize = size;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** Back to zero states. */
    public void reset() {
        for (Stage s : stages) {
            s.reset();
        }
    }

    /**
     * One time step: {@code x} holds {@code [batch, inputSize]} values, row-major. Returns the
     * outputs {@code [batch, outputSize]} in a buffer that the next call overwrites.
     */
    public float[] step(float[] x) {
        if (x.length != batch * inputSize) {
            throw new ShapeException("streaming step: expected " + batch * inputSize + " values ([" + batch + ", " + inputSize
                    + "]), got " + x.length);
        }
        float[] v = x;
        for (Stage s : stages) {
            v = s.apply(v);
        }
        return v;
    }

    /** One time step on a {@code [batch, inputSize]} tensor; returns a new {@code [batch, outputSize]} tensor. */
    public Tensor step(Tensor x) {
        Shape.requireEqual("streaming step input", new int[] {batch, inputSize}, x.shape());
        return Tensor.of(step(x.toArray()), batch, outputSize);
    }

    // ------------------------------------------------------------------ stages

    private static final class DenseStage implements Stage {
        private final Dense dense;
        private final float[] out;
        private final int batch;

        DenseStage(Dense dense, int batch) {
            this.dense = dense;
            this.batch = batch;
            this.out = new float[batch * dense.outputSize()];
        }

        @Override
        public float[] apply(float[] in) {
            KernelProvider k = Kernels.provider();
            Tensor w = dense.weight().value();
            Tensor b = dense.bias().value();
            int n = dense.outputSize();
            Kernels.gemm(GemmOp.NT, batch, n, dense.inputSize(), in, 0, dense.inputSize(), w.data(), w.offset(), dense.inputSize(),
                    out, 0, n, false);
            k.addRowVector(batch, n, b.data(), b.offset(), out, 0, n);
            if (dense.activation() != Activation.IDENTITY) {
                k.activate(dense.activation(), out, 0, out, 0, out.length);
            }
            return out;
        }

        @Override
        public void reset() {
        }

        @Override
        public int outputSize() {
            return dense.outputSize();
        }
    }

    private static final class NormalizationStage implements Stage {
        private final LayerNormalization norm;
        private final float[] out;
        private final int batch;

        NormalizationStage(LayerNormalization norm, int batch) {
            this.norm = norm;
            this.batch = batch;
            this.out = new float[batch * norm.features()];
        }

        @Override
        public float[] apply(float[] in) {
            int f = norm.features();
            for (int r = 0; r < batch; r++) {
                norm.normalizeRow(in, r * f, out, r * f, null, 0);
            }
            return out;
        }

        @Override
        public void reset() {
        }

        @Override
        public int outputSize() {
            return norm.features();
        }
    }

    /** All layers of one {@link Recurrent}, each with its state buffers. */
    private static final class RecurrentStage implements Stage {
        private final List<CellStepper> cells = new ArrayList<>();
        private final int hidden;

        RecurrentStage(Recurrent r, int batch) {
            this.hidden = r.hiddenSize();
            for (int layer = 0; layer < r.layers(); layer++) {
                cells.add(new CellStepper(r.cell(layer, 0), batch));
            }
        }

        @Override
        public float[] apply(float[] in) {
            float[] v = in;
            for (CellStepper c : cells) {
                v = c.step(v);
            }
            return v;
        }

        @Override
        public void reset() {
            for (CellStepper c : cells) {
                c.reset();
            }
        }

        @Override
        public int outputSize() {
            return hidden;
        }
    }

    /** One cell's step on {@code [batch, ·]} buffers, sharing the arithmetic of the fused kernels. */
    private static final class CellStepper {
        private final RecurrentCell cell;
        private final int batch;
        private final int hidden;
        private final int gateWidth;
        private float[] h;
        private float[] hNext;
        private float[] c;
        private float[] cNext;
        private final float[] tanhC;
        private final float[] gates;
        private final float[] hiddenProjection;

        CellStepper(RecurrentCell cell, int batch) {
            this.cell = cell;
            this.batch = batch;
            this.hidden = cell.hiddenSize();
            this.gateWidth = cell.type().gates * hidden;
            this.h = new float[batch * hidden];
            this.hNext = new float[batch * hidden];
            boolean lstm = cell.type() == CellType.LSTM;
            this.c = lstm ? new float[batch * hidden] : null;
            this.cNext = lstm ? new float[batch * hidden] : null;
            this.tanhC = lstm ? new float[batch * hidden] : null;
            this.gates = new float[batch * gateWidth];
            this.hiddenProjection = cell.type() == CellType.GRU ? new float[batch * gateWidth] : null;
        }

        void reset() {
            java.util.Arrays.fill(h, 0f);
            if (c != null) {
                java.util.Arrays.fill(c, 0f);
            }
        }

        float[] step(float[] x) {
            KernelProvider k = Kernels.provider();
            Tensor wih = cell.weightIh().value();
            Tensor whh = cell.weightHh().value();
            Tensor bih = cell.biasIh().value();
            Tensor bhh = cell.biasHh().value();
            int in = cell.inputSize();
            boolean gru = cell.type() == CellType.GRU;
            // gates = x·W_ihᵀ + b_ih, plus h·W_hhᵀ + b_hh (kept apart for GRU's reset gate).
            Kernels.gemm(GemmOp.NT, batch, gateWidth, in, x, 0, in, wih.data(), wih.offset(), in, gates, 0, gateWidth, false);
            k.addRowVector(batch, gateWidth, bih.data(), bih.offset(), gates, 0, gateWidth);
            float[] hp = gru ? hiddenProjection : gates;
            Kernels.gemm(GemmOp.NT, batch, gateWidth, hidden, h, 0, hidden, whh.data(), whh.offset(), hidden, hp, 0, gateWidth, !gru);
            k.addRowVector(batch, gateWidth, bhh.data(), bhh.offset(), hp, 0, gateWidth);
            switch (cell.type()) {
                case RNN -> k.activate(((SimpleRnnCell) cell).activation(), gates, 0, hNext, 0, batch * hidden);
                case LSTM -> {
                    k.lstmForward(batch, hidden, gates, 0, c, 0, cNext, 0, tanhC, 0, hNext, 0);
                    float[] swap = c;
                    c = cNext;
                    cNext = swap;
                }
                case GRU -> k.gruForward(batch, hidden, gates, 0, hp, 0, null, 0, null, 0, h, 0, hNext, 0);
            }
            float[] swap = h;
            h = hNext;
            hNext = swap;
            return h;
        }
    }
}
