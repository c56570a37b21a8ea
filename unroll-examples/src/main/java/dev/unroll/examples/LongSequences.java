package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellInit;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.GradientFlow;
import dev.unroll.nn.Init;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.SimpleRnnCell;
import dev.unroll.optim.Adam;
import dev.unroll.optim.GradientClipping;
import dev.unroll.optim.Optimizer;
import dev.unroll.optim.RmsProp;
import dev.unroll.optim.Sgd;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSource;
import dev.unroll.train.Loss;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingDivergedException;
import dev.unroll.train.TrainingListener;
import dev.unroll.train.TruncatedBptt;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Seed §17: long sequences. Over many steps gradients vanish or explode and training is slow; the
 * seed lists the remedies, and this example shows what each one does, on the seed's series:
 * <ol>
 *   <li><b>initialization and a non-saturating activation</b> — how much of a gradient from the
 *       last step reaches the first, for tanh and ReLU cells under several initializers (the IRNN,
 *       ReLU with an identity recurrent matrix, keeps it all);</li>
 *   <li><b>normalization</b> — layer normalization between stacked ReLU layers keeps every step's
 *       activations at one scale, where without it they grow with depth and time;</li>
 *   <li><b>gradient clipping</b> — an IRNN forecaster on long windows diverges at its second
 *       update with plain SGD, and trains once its gradient norm is capped;</li>
 *   <li><b>faster optimizers</b> — SGD, momentum, RMSProp and Adam for the same number of updates;</li>
 *   <li><b>truncated backpropagation through time</b> — windows of the series sampled ten times
 *       finer (sequences of 1000 steps), learned with full BPTT and in windows of 50 steps.</li>
 * </ol>
 * The tests of {@code unroll-core} ({@code InitRemedyTest}, {@code ReluRemedyTest},
 * {@code LayerNormalizationTest}, {@code ClippingRemedyTest}, {@code FasterOptimizersRemedyTest},
 * {@code TruncatedBpttRemedyTest}) assert each effect.
 *
 * <p>Run: {@code unroll-examples/run LongSequences [--steps 100] [--long-steps 1000] [--window 50]}.
 */
public final class LongSequences {
    static final String USAGE = "LongSequences [--steps N] [--long-steps N] [--window N] [--updates N] [--epochs N] [--seed S]";

    private LongSequences() {
    }

    /**
     * @param steps     sequence length of parts 1 to 4 (100)
     * @param longSteps sequence length for truncated BPTT (1000)
     * @param window    truncated BPTT window (50)
     * @param updates   updates per optimizer in part 4, and in part 3 (200)
     * @param epochs    epochs of part 5 (5)
     */
    public record Settings(int steps, int longSteps, int window, int updates, int epochs, long seed) {
        static Settings read(Args a) {
            return new Settings(a.positiveInt("steps", 100), a.positiveInt("long-steps", 1000), a.positiveInt("window", 50),
                    a.positiveInt("updates", 200), a.positiveInt("epochs", 5), a.seed(42));
        }
    }

    /** What the example measured, part by part. */
    public record Result(Map<String, Double> gradientReach, Map<String, double[]> activationScale, String unclippedFailure,
                         double clippedLoss, Map<String, Double> optimizerMse, Map<String, double[]> truncation) {
    }

    private static final int HIDDEN = 32;

    // ------------------------------------------------------------------ 1. initialization, ReLU

    /**
     * ‖∂L/∂x(0)‖ / ‖∂L/∂x(T−1)‖ for a loss on the final state, per cell variant: how much of the
     * gradient reaching the last input also reaches the first.
     */
    static Map<String, Double> gradientReach(int steps, long seed) {
        Init standardNormal = (t, rng) -> t.copyFrom(Tensor.randn(rng, t.shape()));
        Map<String, SimpleRnnCell> cells = new LinkedHashMap<>();
        cells.put("tanh, PyTorch default U(±1/√H)", new SimpleRnnCell(1, HIDDEN, new Rng(seed)));
        cells.put("tanh, N(0, 1) as the seed's §4", new SimpleRnnCell(1, HIDDEN, Activation.TANH,
                CellInit.of(standardNormal, standardNormal, Init.zeros()), new Rng(seed)));
        cells.put("tanh, Glorot + orthogonal", new SimpleRnnCell(1, HIDDEN, Activation.TANH, CellInit.glorotOrthogonal(), new Rng(seed)));
        cells.put("relu, PyTorch default", new SimpleRnnCell(1, HIDDEN, Activation.RELU, CellInit.pytorch(), new Rng(seed)));
        cells.put("relu, He + identity (IRNN)", new SimpleRnnCell(1, HIDDEN, Activation.RELU, CellInit.identityRecurrent(), new Rng(seed)));
        // A neutral probe: random inputs in [0, 1). (On an oscillating input, ReLU units switch off
        // and on, and a gradient crosses only the stretches where they stay on.)
        Tensor x = Tensor.uniform(new Rng(seed), 0f, 1f, 8, steps, 1);
        Map<String, Double> reach = new LinkedHashMap<>();
        for (Map.Entry<String, SimpleRnnCell> e : cells.entrySet()) {
            double[] norms = GradientFlow.inputGradientNorms(e.getValue(), x);
            reach.put(e.getKey(), norms[0] / norms[steps - 1]);
        }
        return reach;
    }

    // ------------------------------------------------------------------ 2. normalization

    /**
     * Root mean square of each layer's output at the first and the last step, for 3 stacked IRNN
     * layers, without and with layer normalization after each: {@code name → [rms(0), rms(T−1)]}.
     */
    static Map<String, double[]> activationScale(int steps, long seed) {
        Tensor x = Tensor.uniform(new Rng(seed), 0f, 1f, 8, steps, 1);
        Map<String, double[]> scale = new LinkedHashMap<>();
        for (boolean normalized : new boolean[] {false, true}) {
            Rng rng = new Rng(seed);
            Variable y = Variable.constant(x);
            try (var inference = Autograd.noGrad()) {
                for (int layer = 0; layer < 3; layer++) {
                    Layer rnn = Recurrent.builder(CellType.RNN, layer == 0 ? 1 : HIDDEN, HIDDEN).activation(Activation.RELU)
                            .init(CellInit.identityRecurrent()).rng(rng).build();
                    y = rnn.forward(y, Context.inference());
                    String name = "layer " + layer;
                    if (normalized) {
                        y = new LayerNormalization(HIDDEN).forward(y, Context.inference());
                        name += " + layer norm";
                    }
                    scale.put(name, new double[] {rms(y.value(), 0), rms(y.value(), steps - 1)});
                }
            }
        }
        return scale;
    }

    /** Root mean square of {@code y[:, t, :]}. */
    private static double rms(Tensor y, int t) {
        float[] step = y.slice(1, t, t + 1).toArray();
        double sum = 0;
        for (float v : step) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / step.length);
    }

    // ------------------------------------------------------------------ 3-5. training

    /** Random windows of {@code steps} values of a series, targets one step ahead. */
    private static SequencePairs windows(Rng rng, int batchSize, int steps) {
        return TimeSeries.SEED.nextBatch(rng, batchSize, steps);
    }

    private static BatchSource windowSource(int steps) {
        return rng -> {
            SequencePairs p = windows(rng, 16, steps);
            return new Batch(p.inputs(), p.targets(), null, null);
        };
    }

    /** A forecaster of 32 units. */
    private static Sequential forecaster(Activation activation, CellInit init, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(Recurrent.builder(CellType.RNN, 1, HIDDEN).activation(activation).init(init).rng(rng).build(),
                new Dense(HIDDEN, 1, rng));
    }

    private static Trainer trainer(Sequential model, Optimizer optimizer, long seed) {
        return Trainer.builder(model, Loss.meanSquaredError(), optimizer).seed(seed).build();
    }

    /** SGD at 0.01 for the IRNN forecaster, clipped or not. */
    private static Sgd sgd(Sequential model, float maxNorm) {
        Sgd sgd = new Sgd(model, 0.01);
        if (maxNorm > 0) {
            sgd.clipping(GradientClipping.byGlobalNorm(maxNorm));
        }
        return sgd;
    }

    /** The message of the unclipped run's failure (null if it did not diverge). */
    static String unclippedFailure(int steps, int updates, long seed) {
        Sequential irnn = forecaster(Activation.RELU, CellInit.identityRecurrent(), seed);
        try {
            trainer(irnn, sgd(irnn, 0), seed).fit(windowSource(steps), updates, updates, null);
            return null;
        } catch (TrainingDivergedException e) {
            return e.getMessage();
        }
    }

    /** The clipped run: {@code [first loss, last loss, largest gradient norm before clipping]}. */
    static double[] clippedRun(int steps, int updates, long seed) {
        Sequential irnn = forecaster(Activation.RELU, CellInit.identityRecurrent(), seed);
        Sgd sgd = sgd(irnn, 10f);
        double[] seen = {Double.NaN, Double.NaN, 0};
        Trainer t = Trainer.builder(irnn, Loss.meanSquaredError(), sgd).seed(seed).listener(new TrainingListener() {
            @Override
            public void onStep(long iteration, double loss) {
                seen[0] = iteration == 1 ? loss : seen[0];
                seen[1] = loss;
                seen[2] = Math.max(seen[2], sgd.lastGradientNorm());
            }
        }).build();
        t.fit(windowSource(steps), updates, updates, null);
        return seen;
    }

    /** Validation MSE after {@code updates} of each optimizer at its usual learning rate. */
    static Map<String, Double> optimizerMse(int steps, int updates, long seed) {
        Map<String, BiFunction<Sequential, Long, Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("SGD, lr 0.01", (m, s) -> new Sgd(m, 0.01));
        optimizers.put("momentum 0.9, lr 0.01", (m, s) -> new Sgd(m, 0.01, 0.9, false, 0));
        optimizers.put("RMSProp, lr 0.01", (m, s) -> new RmsProp(m, 0.01));
        optimizers.put("Adam, lr 0.01", (m, s) -> new Adam(m, 0.01));
        SequenceDataset validation = dataset(windows(new Rng(seed + 1), 200, steps));
        Map<String, Double> mse = new LinkedHashMap<>();
        for (Map.Entry<String, BiFunction<Sequential, Long, Optimizer>> e : optimizers.entrySet()) {
            Sequential model = forecaster(Activation.TANH, CellInit.pytorch(), seed);
            Trainer t = trainer(model, e.getValue().apply(model, seed), seed);
            t.fit(windowSource(steps), updates, updates, null);
            mse.put(e.getKey(), t.evaluate(validation).loss());
        }
        return mse;
    }

    private static SequenceDataset dataset(SequencePairs p) {
        return SequenceDataset.regression(p.inputs(), p.targets());
    }

    /**
     * The series sampled ten times finer, so that the same stretch of time takes ten times the
     * steps: full BPTT against windows, {@code name → [seconds, updates, validation MSE]}.
     */
    static Map<String, double[]> truncation(int longSteps, int window, int epochs, long seed) {
        TimeSeries fine = new TimeSeries(0, 30, 0.01);
        SequenceDataset train = dataset(fine.nextBatch(new Rng(seed), 64, longSteps));
        SequenceDataset validation = dataset(fine.nextBatch(new Rng(seed + 1), 64, longSteps));
        Map<String, double[]> results = new LinkedHashMap<>();
        for (int k : new int[] {longSteps, window}) {
            Sequential model = forecaster(Activation.TANH, CellInit.pytorch(), seed);
            Trainer.Builder b = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01)).batchSize(16).epochs(epochs)
                    .seed(seed);
            if (k < longSteps) {
                b.truncatedBptt(TruncatedBptt.windows(k));
            }
            Trainer t = b.build();
            long start = System.nanoTime();
            t.fit(train, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            results.put(k < longSteps ? "windows of " + k : "full BPTT over " + longSteps,
                    new double[] {seconds, t.optimizer().steps(), t.evaluate(validation).loss()});
        }
        return results;
    }

    // ------------------------------------------------------------------ the run

    public static Result run(Settings s, PrintStream out) {
        out.printf(Locale.ROOT, "1. Initialization and activation: ‖∂L/∂x(0)‖ / ‖∂L/∂x(%d)‖, loss on the final state%n",
                s.steps() - 1);
        Map<String, Double> reach = gradientReach(s.steps(), s.seed());
        reach.forEach((name, r) -> out.printf(Locale.ROOT, "   %-34s %10.3g%n", name, r));

        out.printf(Locale.ROOT, "2. Normalization: RMS of each layer's output at step 0 and step %d, 3 stacked IRNN layers%n",
                s.steps() - 1);
        Map<String, double[]> scale = activationScale(s.steps(), s.seed());
        scale.forEach((name, r) -> out.printf(Locale.ROOT, "   %-34s %10.3g %10.3g%n", name, r[0], r[1]));

        out.printf(Locale.ROOT, "3. Gradient clipping: IRNN forecaster, %d-step windows, SGD at 0.01%n", s.steps());
        String failure = unclippedFailure(s.steps(), s.updates(), s.seed());
        out.println("   without clipping: " + (failure == null ? "trained (no divergence at these settings)" : failure));
        double[] clipped = clippedRun(s.steps(), s.updates(), s.seed());
        out.printf(Locale.ROOT, "   clipped to global norm 10: loss %.4g at the first update, %.4g after %d "
                + "(norms up to %.3g were cut to 10)%n", clipped[0], clipped[1], s.updates(), clipped[2]);

        out.printf(Locale.ROOT, "4. Optimizers: validation MSE after %d updates, tanh forecaster, %d-step windows%n",
                s.updates(), s.steps());
        Map<String, Double> optimizers = optimizerMse(s.steps(), s.updates(), s.seed());
        optimizers.forEach((name, mse) -> out.printf(Locale.ROOT, "   %-34s %10.4f%n", name, mse));

        out.printf(Locale.ROOT, "5. Truncated BPTT: the series every 0.01, sequences of %d steps, %d epochs%n", s.longSteps(), s.epochs());
        Map<String, double[]> truncation = truncation(s.longSteps(), s.window(), s.epochs(), s.seed());
        truncation.forEach((name, r) -> out.printf(Locale.ROOT, "   %-34s %6.1f s, %5.0f updates, validation MSE %.4f%n",
                name, r[0], r[1], r[2]));
        return new Result(reach, scale, failure, clipped[1], optimizers, truncation);
    }

    public static void main(String[] args) {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
