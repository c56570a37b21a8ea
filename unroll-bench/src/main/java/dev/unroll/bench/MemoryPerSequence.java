package dev.unroll.bench;

import com.sun.management.ThreadMXBean;
import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.CellType;
import dev.unroll.nn.GruCell;
import dev.unroll.nn.LstmCell;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.nn.SimpleRnnCell;
import dev.unroll.nn.StaticUnroll;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Bytes a forward pass allocates per sequence, on W1's shapes (batch 150, 28 steps, 28 inputs,
 * 150 units): what a training pass keeps for backpropagation (fused kernel, on a fresh cell so its
 * buffer pool is empty; static unrolling through per-step autograd operations), and what inference
 * needs (no gradients). Measured with the JVM's per-thread allocation counter, on one thread.
 */
public final class MemoryPerSequence {
    private static final int BATCH = 150;
    private static final int STEPS = 28;
    private static final int INPUTS = 28;
    private static final int HIDDEN = 150;

    private MemoryPerSequence() {
    }

    private static RecurrentCell cell(CellType type) {
        Rng rng = new Rng(1);
        return switch (type) {
            case RNN -> new SimpleRnnCell(INPUTS, HIDDEN, rng);
            case LSTM -> new LstmCell(INPUTS, HIDDEN, rng);
            case GRU -> new GruCell(INPUTS, HIDDEN, rng);
        };
    }

    private static long allocated(Runnable body) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    public static void run(PrintWriter out) {
        Parallel.setThreads(1);
        Tensor x = Tensor.uniform(new Rng(2), 0f, 1f, BATCH, STEPS, INPUTS);
        out.printf(Locale.ROOT, "bytes allocated per sequence by a forward pass, batch %d, %d steps, %d inputs, %d units%n",
                BATCH, STEPS, INPUTS, HIDDEN);
        out.printf(Locale.ROOT, "%-5s %14s %14s %14s %10s%n", "cell", "fused+grad", "static+grad", "inference", "static/fused");
        for (CellType type : CellType.values()) {
            // Warm every path up on another cell first: until the JIT has compiled them, Vector API
            // operations allocate their vectors, which would swamp what the passes keep.
            RecurrentCell warm = cell(type);
            for (int i = 0; i < 200; i++) {
                warm.forwardSequence(Variable.parameter("x", x), null, null).finalState().h().sum().backward();
                StaticUnroll.runPacked(warm, Variable.parameter("x", x), null, null);
                try (var scope = Autograd.noGrad()) {
                    warm.forwardSequence(Variable.constant(x), null, null);
                }
            }
            RecurrentCell forFused = cell(type);
            RecurrentCell forStatic = cell(type);
            RecurrentCell forInference = cell(type);
            long fused = allocated(() -> forFused.forwardSequence(Variable.parameter("x", x), null, null));
            long statik = allocated(() -> StaticUnroll.runPacked(forStatic, Variable.parameter("x", x), null, null));
            long inference = allocated(() -> {
                try (var scope = Autograd.noGrad()) {
                    forInference.forwardSequence(Variable.constant(x), null, null);
                }
            });
            out.printf(Locale.ROOT, "%-5s %14d %14d %14d %10.1f%n", type.id(), fused / BATCH, statik / BATCH, inference / BATCH,
                    (double) statik / fused);
        }
        out.flush();
    }

    public static void main(String[] args) {
        run(new PrintWriter(System.out, true));
    }
}
