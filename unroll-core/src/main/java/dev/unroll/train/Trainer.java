package dev.unroll.train;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.data.MiniBatches;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.Context;
import dev.unroll.nn.FlatParameters;
import dev.unroll.nn.Layer;
import dev.unroll.nn.StateCarry;
import dev.unroll.optim.Optimizer;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fit loop: epochs over a {@link SequenceDataset} (or iterations over a {@link BatchSource}),
 * mini-batches in a seeded shuffled order, forward, loss, backward, optimizer update; validation
 * and metrics after each epoch; callbacks; events to a {@link TrainingListener}.
 *
 * <p>A step is two halves: a gradient-only step ({@link GradientStep}: the gradient of the loss
 * summed over the batch) and an optimizer step on that gradient ({@link #applyGradients}: divide by
 * the batch's count, check, clip, update). The epoch loop is driven by "the summed loss and
 * gradient of this global batch": {@link #fit(SequenceDataset, SequenceDataset)} computes it by
 * running the model on the batch, {@link #fit(GradientSource, SequenceDataset)} asks a
 * {@link GradientSource}, e.g. a distributed job over data this process never holds.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.001))
 *     .batchSize(150).epochs(10).seed(42).metrics(Metric.accuracy()).build();
 * List<Progress> history = trainer.fit(train, test);
 * }</pre>
 *
 * <p>Guarantees: the same seed gives the same bits whatever the thread count (shuffling and dropout
 * draw from their own seeded streams; kernels are deterministic); a NaN or infinite loss or
 * gradient stops training with a {@link TrainingDivergedException} naming the step and the
 * parameter; training can be resumed exactly from {@link #state()} (see
 * {@code dev.unroll.io.Checkpoint}).
 */
public final class Trainer {
    private final Layer model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int batchSize;
    private final int epochs;
    private final boolean shuffle;
    private final List<Metric> metrics;
    private final List<Callback> callbacks;
    private final TrainingListener listener;
    private final int threads;
    private final TruncatedBptt tbptt;
    private final int evaluationBatchSize;
    private final GradientStep gradientStep;

    private Rng dataRng;
    private Rng dropoutRng;
    private int epochsDone;
    private long iterations;
    private double lastLoss = Double.NaN;
    /** True between the first and the last batch of an epoch, i.e. while {@link #epochStart} matters. */
    private boolean inEpoch;
    /** The data stream's state when the current epoch drew its order (to draw it again on resume). */
    private long epochStart;
    /** Batches of the current epoch already trained. */
    private int batchesDone;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.shuffle = b.shuffle;
        this.metrics = List.copyOf(b.metrics);
        this.callbacks = List.copyOf(b.callbacks);
        this.listener = b.listener;
        this.threads = b.threads;
        this.tbptt = b.tbptt;
        this.evaluationBatchSize = b.evaluationBatchSize;
        this.gradientStep = new GradientStep(model, loss, metrics);
        // Independent streams, so that switching dropout on does not change the batch order.
        this.dataRng = new Rng(b.seed);
        this.dropoutRng = new Rng(b.seed ^ 0x5DEECE66DL);
    }

    /** Starts configuring training of {@code model} with the given loss and optimizer. */
    public static Builder builder(Layer model, Loss loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /** Training settings; validated by {@link #build()}. */
    public static final class Builder {
        private final Layer model;
        private final Loss loss;
        private final Optimizer optimizer;
        private int batchSize = 32;
        private int epochs = 1;
        private boolean shuffle = true;
        private long seed = 42;
        private final List<Metric> metrics = new ArrayList<>();
        private final List<Callback> callbacks = new ArrayList<>();
        private TrainingListener listener = new TrainingListener() { };
        private int threads = Parallel.threads();
        private TruncatedBptt tbptt;
        private int evaluationBatchSize = 1000;

        private Builder(Layer model, Loss loss, Optimizer optimizer) {
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
        }

        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        /** Shuffle the training set every epoch (default true). */
        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        /** Seed of the batch order, of random batches and of dropout masks. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder metrics(Metric... m) {
            metrics.addAll(List.of(m));
            return this;
        }

        public Builder callbacks(Callback... c) {
            callbacks.addAll(List.of(c));
            return this;
        }

        public Builder listener(TrainingListener l) {
            listener = l;
            return this;
        }

        /** Threads for the kernels (results do not depend on it). */
        public Builder threads(int n) {
            threads = n;
            return this;
        }

        /** Truncated backpropagation through time (seed §17); default: full BPTT. */
        public Builder truncatedBptt(TruncatedBptt t) {
            tbptt = t;
            return this;
        }

        /** Batch size for validation (inference only). */
        public Builder evaluationBatchSize(int n) {
            evaluationBatchSize = n;
            return this;
        }

        public Trainer build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (evaluationBatchSize < 1) {
                throw new IllegalArgumentException("evaluation batch size must be at least 1, got " + evaluationBatchSize);
            }
            return new Trainer(this);
        }
    }

    // ------------------------------------------------------------------ training

    /**
     * Trains for the configured epochs (continuing after those already done, when resumed) and
     * returns one {@link Progress} per epoch run.
     *
     * @param validation evaluated after every epoch, or null
     */
    public List<Progress> fit(SequenceDataset train, SequenceDataset validation) {
        return fitEpochs(train.size(), validation, (indices, acc) -> trainOn(train.batch(indices), acc));
    }

    /**
     * {@link #fit(SequenceDataset, SequenceDataset)} over a training set that {@code source} holds:
     * the same batches, updates, validation, callbacks and events, with each batch's summed loss
     * and gradient computed by the source. Truncated BPTT needs the batch here, so it is not
     * available this way.
     */
    public List<Progress> fit(GradientSource source, SequenceDataset validation) {
        if (tbptt != null) {
            throw new IllegalStateException("truncated BPTT carries the recurrent state from window to window of a batch held "
                    + "in memory; train from a SequenceDataset for it, or without it from a GradientSource");
        }
        return fitEpochs(source.size(), validation, (indices, acc) -> {
            BatchSums sums = source.gradients(indices, dropoutRng);
            apply(sums, true);
            acc.add(sums);
        });
    }

    /** What the epoch loop does with one batch of training-set indices. */
    @FunctionalInterface
    private interface BatchWork {
        void train(int[] indices, Accumulator acc);
    }

    /** The one epoch loop. A resumed epoch draws its order again and skips the batches done before. */
    private List<Progress> fitEpochs(int n, SequenceDataset validation, BatchWork work) {
        Parallel.setThreads(threads);
        if (n == 0) {
            throw new IllegalArgumentException("training set is empty");
        }
        MiniBatches batches = new MiniBatches(n, batchSize);
        long perEpoch = batches.batchesPerEpoch();
        if (batchesDone > perEpoch) {
            throw new IllegalStateException("resumed after batch " + batchesDone + " of an epoch, but an epoch has " + perEpoch
                    + " batches of " + batchSize + " (is it the same training set and batch size?)");
        }
        listener.onStart(perEpoch * (epochs - epochsDone) - batchesDone, perEpoch);
        List<Progress> history = new ArrayList<>();
        while (epochsDone < epochs) {
            long start = System.nanoTime();
            Accumulator acc = new Accumulator(metrics);
            if (inEpoch) {
                dataRng = new Rng(epochStart);
            } else {
                epochStart = dataRng.state();
                inEpoch = true;
            }
            List<int[]> order = shuffle ? batches.shuffled(dataRng) : batches.inOrder();
            while (batchesDone < order.size()) {
                work.train(order.get(batchesDone), acc);
            }
            inEpoch = false;
            batchesDone = 0;
            epochsDone++;
            Progress p = report(epochsDone, acc, validation, start);
            history.add(p);
            if (stopRequested(p, history)) {
                break;
            }
        }
        return history;
    }

    /**
     * Trains for {@code iterations} updates on batches drawn from {@code source} (seed §12: 1500
     * iterations of random windows), reporting every {@code reportEvery} updates.
     */
    public List<Progress> fit(BatchSource source, long iterations, long reportEvery, SequenceDataset validation) {
        if (iterations < 1 || reportEvery < 1) {
            throw new IllegalArgumentException("iterations and reportEvery must be at least 1, got " + iterations + " and " + reportEvery);
        }
        Parallel.setThreads(threads);
        listener.onStart(iterations - this.iterations, reportEvery);
        List<Progress> history = new ArrayList<>();
        long start = System.nanoTime();
        Accumulator acc = new Accumulator(metrics);
        while (this.iterations < iterations) {
            trainOn(source.next(dataRng), acc);
            if (this.iterations % reportEvery == 0 || this.iterations == iterations) {
                epochsDone++;
                Progress p = report(epochsDone, acc, validation, start);
                history.add(p);
                if (stopRequested(p, history)) {
                    break;
                }
                start = System.nanoTime();
                acc = new Accumulator(metrics);
            }
        }
        return history;
    }

    private boolean stopRequested(Progress p, List<Progress> history) {
        boolean stop = false;
        for (Callback c : callbacks) {
            stop |= c.afterProgress(p, history);
        }
        return stop;
    }

    private Progress report(int period, Accumulator acc, SequenceDataset validation, long start) {
        Evaluation v = validation == null ? null : evaluate(validation);
        Progress p = new Progress(period, iterations, acc.meanLoss(), acc.metricValues(),
                v == null ? Double.NaN : v.loss(), v == null ? Map.of() : v.metrics(), optimizer.learningRate(),
                (System.nanoTime() - start) / 1e9);
        listener.onProgress(p);
        return p;
    }

    /** One batch: one update, or with truncated BPTT one update per window. */
    private void trainOn(Batch batch, Accumulator acc) {
        if (tbptt == null) {
            update(batch, Context.training(batch.lengths(), dropoutRng), acc, true);
            return;
        }
        int steps = batch.steps();
        tbptt.check(steps, batch);
        StateCarry carry = new StateCarry();
        for (int s0 = 0; s0 < steps; s0 += tbptt.forwardSteps()) {
            int end = Math.min(steps, s0 + tbptt.forwardSteps());
            int gradFrom = Math.max(s0, end - tbptt.backwardSteps());
            if (gradFrom > s0) {
                try (var scope = Autograd.noGrad()) {
                    model.forward(Variable.constant(batch.steps(s0, gradFrom).inputs()),
                            Context.training(null, dropoutRng).withCarry(carry));
                }
            }
            update(batch.steps(gradFrom, end), Context.training(null, dropoutRng).withCarry(carry), acc, end == steps);
            carry.detach();
        }
    }

    /** Gradient-only step, then the optimizer step on its gradient ({@code endsBatch}: the batch's last update). */
    private void update(Batch batch, Context context, Accumulator acc, boolean endsBatch) {
        BatchSums sums = computeGradients(batch, context);
        apply(sums, endsBatch);
        acc.add(sums);
    }

    /**
     * The gradient-only step on this trainer's model: leaves the gradient of {@code batch}'s
     * summed loss in the model's gradient buffer and returns the sums (see {@link GradientStep}).
     */
    public BatchSums computeGradients(Batch batch, Context context) {
        return gradientStep.run(batch, context);
    }

    /**
     * The optimizer step on given gradients: the model's gradient buffer holds the gradient of the
     * loss summed over a batch whose totals are {@code sums} (from {@link #computeGradients}, or
     * added up from the chunks of a distributed batch). Divides it by the batch's count, checks
     * loss and gradients are finite, clips and updates; counts the iteration and tells the
     * listener.
     *
     * @throws TrainingDivergedException on a NaN or infinite loss or gradient, naming the step
     */
    public void applyGradients(BatchSums sums) {
        apply(sums, false);
    }

    /**
     * {@link #applyGradients}; the update that ends an epoch's batch counts the batch before the
     * listener hears of it, so that {@link #state()} taken there resumes after this batch.
     */
    private void apply(BatchSums sums, boolean endsBatch) {
        long iteration = iterations + 1;
        if (sums.count() <= 0) {
            throw new IllegalArgumentException(where(iteration) + ": the batch of " + sums.sequences()
                    + " sequences has no loss terms (count " + sums.count() + "); nothing to average");
        }
        double value = sums.meanLoss();
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(where(iteration) + ": loss is " + value
                    + "; lower the learning rate or clip gradients");
        }
        float[] g = model.flatParameters().grads();
        float count = (float) sums.count();
        for (int i = 0; i < g.length; i++) {
            g[i] /= count;
        }
        checkGradients(iteration);
        optimizer.step();
        iterations = iteration;
        lastLoss = value;
        if (endsBatch && inEpoch) {
            batchesDone++;
        }
        listener.onStep(iterations, value);
    }

    private void checkGradients(long iteration) {
        FlatParameters flat = model.flatParameters();
        float[] g = flat.grads();
        for (int i = 0; i < g.length; i++) {
            if (!Float.isFinite(g[i])) {
                FlatParameters.Slice s = flat.sliceAt(i);
                throw new TrainingDivergedException(where(iteration) + ": gradient of " + s.name() + " is " + g[i]
                        + " (element " + (i - s.offset()) + "); lower the learning rate or clip gradients");
            }
        }
    }

    private String where(long iteration) {
        return "epoch " + (epochsDone + 1) + ", iteration " + iteration;
    }

    // ------------------------------------------------------------------ evaluation

    /** Loss and metrics of a data set. */
    public record Evaluation(double loss, Map<String, Double> metrics) {
    }

    /** Evaluates the model on a data set without recording gradients, in batches. */
    public Evaluation evaluate(SequenceDataset data) {
        Accumulator acc = new Accumulator(metrics);
        try (var scope = Autograd.noGrad()) {
            for (int[] indices : new MiniBatches(data.size(), evaluationBatchSize).inOrder()) {
                Batch b = data.batch(indices);
                Variable prediction = model.forward(Variable.constant(b.inputs()), Context.inference(b.lengths()));
                acc.addLoss(loss.compute(prediction, b).value().get(), b.size());
                acc.addMetrics(prediction.value(), b);
            }
        }
        return new Evaluation(acc.meanLoss(), acc.metricValues());
    }

    // ------------------------------------------------------------------ state

    /**
     * Everything besides the model and optimizer needed to resume exactly, between any two
     * batches: after {@code fit}, in {@link GradientSource#gradients} and in
     * {@link TrainingListener#onStep} (except inside a truncated-BPTT batch, whose recurrent state
     * is not saved).
     *
     * @param dataRngState the data stream: inside an epoch ({@code batchesDone > 0}), its state
     *                     when the epoch drew its order, which a resumed epoch draws again
     * @param batchesDone  batches of the unfinished epoch already trained (0 between epochs)
     */
    public record State(int epochsDone, long iterations, long dataRngState, long dropoutRngState, int batchesDone) {

        public State {
            if (epochsDone < 0 || iterations < 0 || batchesDone < 0) {
                throw new IllegalArgumentException("trainer state: epochs " + epochsDone + ", iterations " + iterations
                        + " and batches " + batchesDone + " must not be negative");
            }
        }

        /** A state between epochs. */
        public State(int epochsDone, long iterations, long dataRngState, long dropoutRngState) {
            this(epochsDone, iterations, dataRngState, dropoutRngState, 0);
        }
    }

    public State state() {
        return new State(epochsDone, iterations, inEpoch ? epochStart : dataRng.state(), dropoutRng.state(),
                inEpoch ? batchesDone : 0);
    }

    /** Continues from a saved {@link #state()} (with the model and optimizer restored separately). */
    public void restore(State s) {
        epochsDone = s.epochsDone();
        iterations = s.iterations();
        dataRng = new Rng(s.dataRngState());
        dropoutRng = new Rng(s.dropoutRngState());
        batchesDone = s.batchesDone();
        inEpoch = batchesDone > 0;
        epochStart = s.dataRngState();
    }

    public Layer model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** The metrics, in the order of {@link BatchSums#metricSums()}. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** Sequences per global batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The loss of the last training batch. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Sums of the loss and of each metric over batches. */
    private static final class Accumulator {
        private final List<Metric> metrics;
        private final double[][] sums;
        private double lossSum;
        private double lossCount;

        Accumulator(List<Metric> metrics) {
            this.metrics = metrics;
            this.sums = new double[metrics.size()][2];
        }

        void addMetrics(Tensor prediction, Batch batch) {
            for (int i = 0; i < metrics.size(); i++) {
                addMetric(i, metrics.get(i).measure(prediction, batch));
            }
        }

        /** A training batch: its mean loss weighted by its sequences, and its metric sums. */
        void add(BatchSums batch) {
            addLoss(batch.meanLoss(), batch.sequences());
            for (int i = 0; i < metrics.size(); i++) {
                addMetric(i, batch.metricSums()[i]);
            }
        }

        private void addMetric(int i, double[] m) {
            sums[i][0] += m[0];
            sums[i][1] += m[1];
        }

        void addLoss(double loss, int weight) {
            lossSum += loss * weight;
            lossCount += weight;
        }

        double meanLoss() {
            return lossCount == 0 ? Double.NaN : lossSum / lossCount;
        }

        Map<String, Double> metricValues() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < metrics.size(); i++) {
                m.put(metrics.get(i).name(), sums[i][1] == 0 ? Double.NaN : sums[i][0] / sums[i][1]);
            }
            return m;
        }
    }
}
