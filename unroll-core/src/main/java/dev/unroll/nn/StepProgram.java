package dev.unroll.nn;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.PackedMatrix;
import dev.unroll.tensor.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Sequential} model compiled for inference one time step at a time, on rows that each
 * carry their own recurrent state: the engine under {@link StreamingModel} and the thread-safe
 * predictors of {@code dev.unroll.infer}.
 *
 * <p>Immutable once built: every weight is copied and packed here (later changes to the model do not
 * reach it), so any number of threads may step it at once, each with its own {@link Workspace}.
 * Per row, the state is {@link #stateSize()} floats: for each recurrent cell in order (layer by
 * layer), its h, then its c (LSTM). A step of many rows computes each row exactly as a step of that
 * row alone (packed products, element-wise cell arithmetic), so batching rows changes no bit; a
 * step of the first m rows leaves the others' states as they were.
 *
 * <p>Supported layers: {@link Embedding} (its input is one id per row, as a float), unidirectional
 * {@link Recurrent} (any cell, any depth), {@link Dense},
 * {@link LayerNormalization} and {@link DropoutLayer} (inactive at inference). A recurrent layer
 * with {@code returnSequences(false)} outputs its current state at every step, i.e. what the
 * model would output if the sequence ended there.
 *
 * <pre>{@code
 * StepProgram p = StepProgram.of(model);
 * StepProgram.Workspace ws = p.workspace(rows);     // one per thread
 * p.zeroState(ws, rows);
 * for (int t = 0; t < steps; t++) {
 *     p.step(ws, rows, x, t * features, steps * features, y, t * outputs, steps * outputs);
 * }
 * }</pre>
 */
public final class StepProgram {
    private final List<Stage> stages;
    private final int inputSize;
    private final int outputSize;
    private final int stateSize;
    /** Stages {@code [0, stateful)} end with the last recurrent layer; the rest are stateless. */
    private final int stateful;
    private final boolean returnsSequences;
    private final String stateLayout;

    private StepProgram(List<Stage> stages, int inputSize, int outputSize, int stateSize, int stateful,
                        boolean returnsSequences, String stateLayout) {
        this.stages = List.copyOf(stages);
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.stateSize = stateSize;
        this.stateful = stateful;
        this.returnsSequences = returnsSequences;
        this.stateLayout = stateLayout;
    }

    /** Compiles {@code model}; an unsupported layer or sizes that do not chain are a clear error. */
    public static StepProgram of(Sequential model) {
        List<Stage> stages = new ArrayList<>();
        int size = -1;
        int first = -1;
        int stateSize = 0;
        int stateful = 0;
        boolean sequences = true;
        StringBuilder layout = new StringBuilder();
        for (Layer layer : model.layers()) {
            Stage stage;
            int in;
            if (layer instanceof Recurrent r) {
                if (r.bidirectional()) {
                    throw new IllegalArgumentException("a bidirectional layer needs the whole sequence; it cannot run one step at a time ("
                            + r + ")");
                }
                if (!sequences) {
                    throw new IllegalArgumentException("a recurrent layer (" + r + ") follows one that outputs only its final state");
                }
                RecurrentStage rs = new RecurrentStage(r, stateSize);
                stateSize += rs.stateSize;
                for (CellStep c : rs.cells) {
                    layout.append(layout.length() == 0 ? "" : " ").append(r.type().id()).append("(h").append(c.hidden)
                            .append(c.hasCell() ? ",c" + c.hidden : "").append(')');
                }
                sequences = r.returnSequences();
                stage = rs;
                in = r.inputSize();
            } else if (layer instanceof Embedding e) {
                stage = new EmbeddingStage(e);
                in = 1;
            } else if (layer instanceof Dense d) {
                stage = new DenseStage(d);
                in = d.inputSize();
            } else if (layer instanceof LayerNormalization n) {
                stage = new NormalizationStage(n);
                in = n.features();
            } else if (layer instanceof DropoutLayer) {
                continue;
            } else {
                throw new IllegalArgumentException("unsupported layer " + layer + " (kind " + layer.kind()
                        + "); step by step inference runs embedding, recurrent, dense, layer_norm and dropout layers");
            }
            if (size >= 0 && size != in) {
                throw new ShapeException(layer + " expects " + in + " features, the previous layer gives " + size);
            }
            if (first < 0) {
                first = in;
            }
            stages.add(stage);
            if (stage instanceof RecurrentStage) {
                stateful = stages.size();
            }
            size = stage.outputSize();
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("the model has no layer to run");
        }
        return new StepProgram(stages, first, size, stateSize, stateful, sequences, layout.length() == 0 ? "none" : layout.toString());
    }

    /** Features of each step's input. */
    public int inputSize() {
        return inputSize;
    }

    /** Features of each step's output. */
    public int outputSize() {
        return outputSize;
    }

    /** Floats of recurrent state per row (0 for a model without recurrent layers). */
    public int stateSize() {
        return stateSize;
    }

    /**
     * True when the model outputs every step of a sequence ({@code [batch, time, outputs]}); false
     * when it outputs only the result of the last step ({@code [batch, outputs]}: a recurrent layer
     * returning its final state, e.g. a classifier).
     */
    public boolean returnsSequences() {
        return returnsSequences;
    }

    /**
     * The state's layout, cell by cell, e.g. {@code "lstm(h64,c64) lstm(h64,c64)"}: states are
     * interchangeable between programs of the same layout.
     */
    public String stateLayout() {
        return stateLayout;
    }

    /** Buffers for stepping up to {@code capacity} rows at once; one caller at a time. */
    public Workspace workspace(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("workspace: capacity must be at least 1 row, got " + capacity);
        }
        return new Workspace(this, capacity);
    }

    /** Sets the state of rows {@code [0, rows)} to zeros. */
    public void zeroState(Workspace ws, int rows) {
        ws.check(this, rows);
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < stateful; s++) {
                if (stages.get(s) instanceof RecurrentStage rs) {
                    rs.clear(ws.rows[s], r);
                }
            }
        }
    }

    /** Sets row {@code row}'s state from {@code state[offset .. offset + stateSize())}. */
    public void loadState(Workspace ws, int row, float[] state, int offset) {
        ws.check(this, row + 1);
        for (int s = 0; s < stateful; s++) {
            if (stages.get(s) instanceof RecurrentStage rs) {
                rs.load(ws.rows[s], row, state, offset);
            }
        }
    }

    /** Copies row {@code row}'s state into {@code state[offset .. offset + stateSize())}. */
    public void storeState(Workspace ws, int row, float[] state, int offset) {
        ws.check(this, row + 1);
        for (int s = 0; s < stateful; s++) {
            if (stages.get(s) instanceof RecurrentStage rs) {
                rs.store(ws.rows[s], row, state, offset);
            }
        }
    }

    /**
     * One time step of rows {@code [0, rows)}: row r's input is {@code x[xOff + r·xStride ..]}
     * ({@link #inputSize()} values); each row's state advances; its output goes to
     * {@code y[yOff + r·yStride ..]} ({@link #outputSize()} values). With {@code y} null only the
     * state advances (the stateless layers after the last recurrent one are skipped).
     */
    public void step(Workspace ws, int rows, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride) {
        run(ws, rows, x, xOff, xStride, 0, y == null ? stateful : stages.size(), y, yOff, yStride, outputSize);
    }

    /**
     * Values per row that the last recurrent layer hands to the stateless layers after it
     * ({@link #advance}, {@link #finish}): its hidden size, or the input size without one.
     */
    public int stateOutputSize() {
        return stateful == 0 ? inputSize : stages.get(stateful - 1).outputSize();
    }

    /**
     * {@link #step} in two halves, so that the stateless layers after the last recurrent one can
     * run once over the rows of many steps: this half advances the state and writes what the last
     * recurrent layer outputs ({@link #stateOutputSize()} values per row) to {@code h}.
     */
    public void advance(Workspace ws, int rows, float[] x, int xOff, int xStride, float[] h, int hOff, int hStride) {
        run(ws, rows, x, xOff, xStride, 0, stateful, h, hOff, hStride, stateOutputSize());
    }

    /**
     * The other half of {@link #step}: the stateless layers on rows of {@link #advance}'s outputs,
     * of any rows and steps (up to the workspace's capacity); each row gives the bits it would in
     * its own step.
     */
    public void finish(Workspace ws, int rows, float[] h, int hOff, int hStride, float[] y, int yOff, int yStride) {
        run(ws, rows, h, hOff, hStride, stateful, stages.size(), y, yOff, yStride, outputSize);
    }

    /** Stages {@code [from, to)} on {@code rows} rows of {@code x}; the last one's output rows to {@code y}. */
    private void run(Workspace ws, int rows, float[] x, int xOff, int xStride, int from, int to, float[] y, int yOff, int yStride,
                     int ySize) {
        ws.check(this, rows);
        ws.setValues(x, xOff, xStride);
        for (int s = from; s < to; s++) {
            stages.get(s).apply(ws, s, rows);
        }
        if (y != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(ws.values, ws.valuesOff + r * ws.valuesLd, y, yOff + r * yStride, ySize);
            }
        }
        ws.setValues(null, 0, 0);
    }

    /**
     * One caller's buffers for a {@link StepProgram}: the step rows of every recurrent cell (which
     * hold the rows' states between steps) and the outputs of the other layers, for up to
     * {@link #capacity()} rows. Not thread-safe: one per thread.
     */
    public static final class Workspace {
        private final StepProgram program;
        private final int capacity;
        /** Per stage: its buffers ({@link CellStep.Rows}[] or float[]). */
        private final Object[] rows;
        /** The values flowing between stages: the current stage's input, then its output. */
        private float[] values;
        private int valuesOff;
        private int valuesLd;

        private Workspace(StepProgram program, int capacity) {
            this.program = program;
            this.capacity = capacity;
            this.rows = new Object[program.stages.size()];
            for (int s = 0; s < rows.length; s++) {
                rows[s] = program.stages.get(s).buffers(capacity);
            }
        }

        /** Rows this workspace can step at once. */
        public int capacity() {
            return capacity;
        }

        private void check(StepProgram p, int rowsNeeded) {
            if (p != program) {
                throw new IllegalArgumentException("this workspace belongs to another step program");
            }
            if (rowsNeeded < 0 || rowsNeeded > capacity) {
                throw new IllegalArgumentException("workspace of " + capacity + " rows: cannot step " + rowsNeeded);
            }
        }

        private void setValues(float[] v, int off, int ld) {
            values = v;
            valuesOff = off;
            valuesLd = ld;
        }
    }

    // ------------------------------------------------------------------ stages

    /** One layer as a step function on rows. */
    private interface Stage {
        /** The stage's buffers in a workspace of {@code capacity} rows. */
        Object buffers(int capacity);

        /** Reads the workspace's values ({@code m} rows), leaves its output there. */
        void apply(Workspace ws, int stage, int m);

        int outputSize();
    }

    /** All layers of one {@link Recurrent}; its rows' states live in the cells' step rows. */
    private static final class RecurrentStage implements Stage {
        private final List<CellStep> cells = new ArrayList<>();
        /** Where this stage's part of a row's state starts. */
        private final int stateOffset;
        private final int stateSize;

        RecurrentStage(Recurrent r, int stateOffset) {
            this.stateOffset = stateOffset;
            int size = 0;
            for (int layer = 0; layer < r.layers(); layer++) {
                CellStep c = new CellStep(r.cell(layer, 0));
                cells.add(c);
                size += c.stateSize();
            }
            this.stateSize = size;
        }

        @Override
        public Object buffers(int capacity) {
            CellStep.Rows[] rows = new CellStep.Rows[cells.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = cells.get(i).rows(capacity);
            }
            return rows;
        }

        @Override
        public void apply(Workspace ws, int stage, int m) {
            CellStep.Rows[] rows = (CellStep.Rows[]) ws.rows[stage];
            for (int i = 0; i < rows.length; i++) {
                CellStep c = cells.get(i);
                CellStep.Rows cr = rows[i];
                for (int r = 0; r < m; r++) {
                    System.arraycopy(ws.values, ws.valuesOff + r * ws.valuesLd, cr.xh, cr.input(r), c.inputs);
                }
                c.step(m, cr);
                cr.advance(m);
                ws.setValues(cr.xh, c.hAt, c.width);
            }
        }

        @Override
        public int outputSize() {
            return cells.get(cells.size() - 1).hidden;
        }

        void clear(Object buffers, int row) {
            CellStep.Rows[] rows = (CellStep.Rows[]) buffers;
            for (int i = 0; i < rows.length; i++) {
                int h = cells.get(i).hidden;
                java.util.Arrays.fill(rows[i].xh, rows[i].hidden(row), rows[i].hidden(row) + h, 0f);
                if (rows[i].c != null) {
                    java.util.Arrays.fill(rows[i].c, row * h, (row + 1) * h, 0f);
                }
            }
        }

        void load(Object buffers, int row, float[] state, int offset) {
            copyState(buffers, row, state, offset, true);
        }

        void store(Object buffers, int row, float[] state, int offset) {
            copyState(buffers, row, state, offset, false);
        }

        /** Copies row {@code row}'s h (and c) of every cell between the step rows and {@code state}. */
        private void copyState(Object buffers, int row, float[] state, int offset, boolean load) {
            CellStep.Rows[] rows = (CellStep.Rows[]) buffers;
            int at = offset + stateOffset;
            for (int i = 0; i < rows.length; i++) {
                int h = cells.get(i).hidden;
                copy(load, state, at, rows[i].xh, rows[i].hidden(row), h);
                at += h;
                if (rows[i].c != null) {
                    copy(load, state, at, rows[i].c, row * h, h);
                    at += h;
                }
            }
        }

        private static void copy(boolean load, float[] state, int stateAt, float[] rows, int rowsAt, int n) {
            if (load) {
                System.arraycopy(state, stateAt, rows, rowsAt, n);
            } else {
                System.arraycopy(rows, rowsAt, state, stateAt, n);
            }
        }
    }

    /** The row of each step's id, from a private copy of the table; an id outside it is an error. */
    private static final class EmbeddingStage implements Stage {
        private final float[] table;
        private final int vocabulary;
        private final int dim;

        EmbeddingStage(Embedding e) {
            this.table = e.weight().value().toArray();
            this.vocabulary = e.vocabulary();
            this.dim = e.dim();
        }

        @Override
        public Object buffers(int capacity) {
            return new float[capacity * dim];
        }

        @Override
        public void apply(Workspace ws, int stage, int m) {
            float[] out = (float[]) ws.rows[stage];
            for (int r = 0; r < m; r++) {
                float v = ws.values[ws.valuesOff + r * ws.valuesLd];
                int id = (int) v;
                if (id != v || id < 0 || id >= vocabulary) {
                    throw Embedding.outside(v, "row " + r + " of the step", vocabulary);
                }
                System.arraycopy(table, id * dim, out, r * dim, dim);
            }
            ws.setValues(out, 0, dim);
        }

        @Override
        public int outputSize() {
            return dim;
        }
    }

    /** {@code y = φ(x·Wᵀ + b)} with Wᵀ packed once. */
    private static final class DenseStage implements Stage {
        private final KernelProvider k = Kernels.provider();
        private final PackedMatrix weight;
        private final float[] bias;
        private final Activation activation;
        private final int outputs;

        DenseStage(Dense dense) {
            var w = dense.weight().value();
            this.weight = k.pack(true, dense.inputSize(), dense.outputSize(), w.data(), w.offset(), dense.inputSize());
            this.bias = dense.bias().value().toArray();
            this.activation = dense.activation();
            this.outputs = dense.outputSize();
        }

        @Override
        public Object buffers(int capacity) {
            return new float[capacity * outputs];
        }

        @Override
        public void apply(Workspace ws, int stage, int m) {
            float[] out = (float[]) ws.rows[stage];
            k.gemm(m, ws.values, ws.valuesOff, ws.valuesLd, weight, out, 0, outputs, false);
            k.addRowVector(m, outputs, bias, 0, out, 0, outputs);
            if (activation != Activation.IDENTITY) {
                k.activate(activation, out, 0, out, 0, m * outputs);
            }
            ws.setValues(out, 0, outputs);
        }

        @Override
        public int outputSize() {
            return outputs;
        }
    }

    /** Layer normalization of each row, with a private copy of the layer's gain and bias. */
    private static final class NormalizationStage implements Stage {
        private final LayerNormalization norm;

        NormalizationStage(LayerNormalization original) {
            this.norm = new LayerNormalization(original.features(), original.eps());
            norm.weight().load(original.weight().value());
            norm.bias().load(original.bias().value());
        }

        @Override
        public Object buffers(int capacity) {
            return new float[capacity * norm.features()];
        }

        @Override
        public void apply(Workspace ws, int stage, int m) {
            float[] out = (float[]) ws.rows[stage];
            int f = norm.features();
            for (int r = 0; r < m; r++) {
                norm.normalizeRow(ws.values, ws.valuesOff + r * ws.valuesLd, out, r * f, null, 0);
            }
            ws.setValues(out, 0, f);
        }

        @Override
        public int outputSize() {
            return norm.features();
        }
    }
}
