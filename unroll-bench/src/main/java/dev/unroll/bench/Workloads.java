package dev.unroll.bench;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.kernel.Activation;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Generation;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.optim.Optimizer;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.Loss;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The peer workloads W1–W7 of {@code ../shared/peers/README.md}, run the way
 * {@code torch_bench.py} runs them in PyTorch, so the two figures compare directly: a warm-up of at
 * least {@value #WARMUP_SECONDS} s that goes on while the JIT is still compiling, then
 * {@value #REPS} timed repetitions of ~{@value #TARGET_SECONDS} s each; the median is printed on the last line ({@code steps_per_s=}, {@code us_per_value=} or
 * {@code seq_per_s=}).
 *
 * <p>A training step is zero-grad, forward, loss, backward and an Adam (lr 0.001) update on one
 * batch. Data is random where shapes are all that matters, the seed's series for W2–W4.
 */
public final class Workloads {
    /** Longer than PyTorch's 1 s: the JVM compiles its hot loops during the first seconds. */
    private static final double WARMUP_SECONDS = 3.0;
    /** The warm-up goes on past {@link #WARMUP_SECONDS} while the JIT is busy, up to this. */
    private static final double MAX_WARMUP_SECONDS = 30.0;
    /** The warm-up watches the JIT over windows of this length. */
    private static final double WINDOW_SECONDS = 0.5;
    /** Compiling for less than this share of a window counts as quiet. */
    private static final double JIT_QUIET_SHARE = 0.02;
    private static final int REPS = 5;
    private static final double TARGET_SECONDS = 1.5;

    /** Workload ids, as {@code ./unroll bench ID} takes them. */
    public static final List<String> IDS = List.of("W1", "W2", "W3", "W4a", "W4b", "W5", "W6-lstm", "W6-gru", "W7");

    private Workloads() {
    }

    /** Runs one workload on {@code threads} threads, printing progress and, last, the figure. */
    public static void run(String id, int threads, PrintWriter out) {
        Parallel.setThreads(threads);
        out.printf(Locale.ROOT, "workload %s, %d thread(s), %s %s%n", id, threads,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        out.println(Kernels.tuning());
        switch (id) {
            case "W1" -> train(out, classifier(CellType.RNN), randomImages(150), Loss.softmaxCrossEntropy());
            case "W2" -> train(out, forecaster(1), seriesBatch(), Loss.meanSquaredError());
            case "W3" -> train(out, forecaster(3), seriesBatch(), Loss.meanSquaredError());
            case "W4a" -> generate(out, "window", model -> Generation.windowRerun(model, seedValues(), 20, 300));
            case "W4b" -> generate(out, "stateful", model -> Generation.stateful(model, seedValues(), 300));
            case "W5" -> trainLarge(out);
            case "W6-lstm" -> train(out, classifier(CellType.LSTM), randomImages(150), Loss.softmaxCrossEntropy());
            case "W6-gru" -> train(out, classifier(CellType.GRU), randomImages(150), Loss.softmaxCrossEntropy());
            case "W7" -> infer(out);
            default -> throw new IllegalArgumentException("unknown workload '" + id + "'; expected one of " + String.join(", ", IDS)
                    + " (or gemm)");
        }
    }

    /** {@code Workloads ID [THREADS]}: one workload, as {@code ./unroll bench ID --threads T}. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Workloads ID [THREADS]   (ID: " + String.join(", ", IDS) + ")");
            System.exit(2);
        }
        run(args[0], args.length == 2 ? Integer.parseInt(args[1]) : 1, new PrintWriter(System.out, true));
    }

    // ------------------------------------------------------------------ models and data

    /** W1/W6/W7: 28 inputs → recurrent 150 → final state → dense 10. */
    static Sequential classifier(CellType type) {
        Rng rng = new Rng(0);
        return Sequential.of(Recurrent.builder(type, 28, 150).returnSequences(false).rng(rng).build(), new Dense(150, 10, rng));
    }

    /** W2 (1 layer, ReLU) and W3 (3 layers, tanh): 1 input → recurrent 100 → dense 1 on every step. */
    static Sequential forecaster(int layers) {
        Rng rng = new Rng(0);
        Activation a = layers == 1 ? Activation.RELU : Activation.TANH;
        return Sequential.of(Recurrent.builder(CellType.RNN, 1, 100).layers(layers).activation(a).rng(rng).build(),
                new Dense(100, 1, rng));
    }

    private static Batch randomImages(int batch) {
        Rng rng = new Rng(1);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new Batch(Tensor.uniform(rng, 0f, 1f, batch, 28, 28), null, labels, null);
    }

    private static Batch seriesBatch() {
        SequencePairs p = TimeSeries.SEED.nextBatch(new Rng(0), 50, 20);
        return new Batch(p.inputs(), p.targets(), null, null);
    }

    private static float[] seedValues() {
        return TimeSeries.SEED.values(0.0, 20);
    }

    // ------------------------------------------------------------------ workloads

    private static void train(PrintWriter out, Sequential model, Batch batch, Loss loss) {
        Optimizer adam = new Adam(model, 0.001);
        Variable x = Variable.constant(batch.inputs());
        Runnable step = () -> {
            adam.zeroGrad();
            loss.compute(model.forward(x, Context.training(null, null)), batch).backward();
            adam.step();
        };
        report(out, "steps_per_s", time(out, step), s -> 1.0 / s);
    }

    /** W5: batch 64, 100 steps, 64 inputs, tanh RNN 512, loss = mean(outputs²). */
    private static void trainLarge(PrintWriter out) {
        Recurrent rnn = Recurrent.builder(CellType.RNN, 64, 512).rng(new Rng(0)).build();
        Optimizer adam = new Adam(rnn, 0.001);
        Variable x = Variable.constant(Tensor.randn(new Rng(1), 64, 100, 64));
        Runnable step = () -> {
            adam.zeroGrad();
            rnn.forward(x).outputs().square().mean().backward();
            adam.step();
        };
        report(out, "steps_per_s", time(out, step), s -> 1.0 / s);
    }

    private interface Generator {
        float[] generate(Sequential model);
    }

    private static void generate(PrintWriter out, String how, Generator g) {
        Sequential model = forecaster(1);
        float[] check = g.generate(model);
        for (float v : check) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("generation (" + how + ") produced " + v);
            }
        }
        report(out, "us_per_value", time(out, () -> g.generate(model)), s -> s / 300 * 1e6);
    }

    /** W7: 10,000 sequences through W1's model in chunks of 1,000, no gradients. */
    private static void infer(PrintWriter out) {
        Sequential model = classifier(CellType.RNN);
        Tensor all = Tensor.uniform(new Rng(2), 0f, 1f, 10_000, 28, 28);
        List<Tensor> chunks = new ArrayList<>();
        for (int s = 0; s < 10_000; s += 1000) {
            chunks.add(all.slice(0, s, s + 1000));
        }
        Runnable pass = () -> {
            try (var scope = Autograd.noGrad()) {
                for (Tensor c : chunks) {
                    model.predict(c);
                }
            }
        };
        report(out, "seq_per_s", time(out, pass), s -> 10_000 / s);
    }

    // ------------------------------------------------------------------ timing

    /**
     * Seconds per call of {@code body} for each timed repetition, after the warm-up: at least
     * {@value #WARMUP_SECONDS} s and until the JIT is quiet (see {@link #jitBusy}), at most
     * {@value #MAX_WARMUP_SECONDS} s. A repetition lasts ~{@value #TARGET_SECONDS} s at the speed of
     * the warm-up's last window.
     */
    private static double[] time(PrintWriter out, Runnable body) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long t0 = System.nanoTime();
        long windowStart = t0;
        long compiledAtWindowStart = watchJit ? jit.getTotalCompilationTime() : 0;
        int calls = 0;
        int windowCalls = 0;
        double perCall;
        while (true) {
            body.run();
            calls++;
            windowCalls++;
            long now = System.nanoTime();
            if (calls < 3 || now - windowStart < WINDOW_SECONDS * 1e9) {
                continue;
            }
            perCall = (now - windowStart) / 1e9 / windowCalls;
            long compiled = watchJit ? jit.getTotalCompilationTime() : 0;
            boolean busy = watchJit && jitBusy(compiled - compiledAtWindowStart, (now - windowStart) / 1e6);
            double elapsed = (now - t0) / 1e9;
            if (elapsed >= MAX_WARMUP_SECONDS || (elapsed >= WARMUP_SECONDS && !busy)) {
                break;
            }
            windowStart = now;
            windowCalls = 0;
            compiledAtWindowStart = compiled;
        }
        int iters = Math.max(1, (int) Math.round(TARGET_SECONDS / perCall));
        out.printf(Locale.ROOT, "warm-up: %d calls in %.1f s%s; timing %d x %d calls%n", calls,
                (System.nanoTime() - t0) / 1e9, watchJit ? "" : " (JIT activity not monitored)", REPS, iters);
        double[] seconds = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                body.run();
            }
            seconds[r] = (System.nanoTime() - start) / 1e9 / iters;
        }
        return seconds;
    }

    /**
     * Whether the JIT compilers were busy in a window: compiling for more than
     * {@value #JIT_QUIET_SHARE} of it. On two processors a compiler thread takes one of them from
     * the benchmark's second thread — measured on W2 at 2 threads, the C2 thread used ~30% of a
     * processor from 3.8 to 5.3 s after start, and the figure was 1790 steps/s against 2478 once it
     * was quiet — so a fixed warm-up measured the JIT, not the kernels.
     */
    private static boolean jitBusy(long compileMillis, double windowMillis) {
        return compileMillis > JIT_QUIET_SHARE * windowMillis;
    }

    private static void report(PrintWriter out, String unit, double[] secondsPerCall, DoubleUnaryOperator figure) {
        double[] values = Arrays.stream(secondsPerCall).map(figure).toArray();
        StringBuilder reps = new StringBuilder();
        for (double v : values) {
            reps.append(String.format(Locale.ROOT, " %.4g", v));
        }
        Arrays.sort(values);
        out.println("repetitions:" + reps);
        out.printf(Locale.ROOT, "%s=%.6g%n", unit, values[values.length / 2]);
    }
}
