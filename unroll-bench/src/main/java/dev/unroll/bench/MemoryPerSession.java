package dev.unroll.bench;

import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
import dev.unroll.infer.StepResult;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Memory per idle streaming session: 100,000 sessions of each served model held open as
 * {@link SessionState} values, measured as the heap they retain (used heap after full collections,
 * before and after); their serialized size; and the time to step all of them once, 64 at a time
 * (one product per batch), checking on the way that a serialized and restored state steps to the
 * same bits. {@code MemoryPerSession [FORECASTER [CLASSIFIER]]}: checkpoint paths, or the
 * architectures with random weights.
 */
public final class MemoryPerSession {
    private static final int SESSIONS = 100_000;
    private static final int BATCH = 64;

    private MemoryPerSession() {
    }

    private static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static void measure(String name, Predictor p, PrintWriter out) {
        float[][] inputs = new float[SESSIONS][];
        for (int i = 0; i < SESSIONS; i++) {
            inputs[i] = BenchData.uniform(p.inputSize(), 1f, i);
        }
        long before = usedAfterGc();
        SessionState[] sessions = new SessionState[SESSIONS];
        for (int from = 0; from < SESSIONS; from += BATCH) {
            int n = Math.min(BATCH, SESSIONS - from);
            SessionState[] batch = new SessionState[n];
            Arrays.fill(batch, p.newSession());
            StepResult[] r = p.step(batch, Arrays.copyOfRange(inputs, from, from + n));
            for (int i = 0; i < n; i++) {
                sessions[from + i] = r[i].state();
            }
        }
        long held = usedAfterGc() - before;
        long start = System.nanoTime();
        int mismatches = 0;
        for (int from = 0; from < SESSIONS; from += BATCH) {
            int n = Math.min(BATCH, SESSIONS - from);
            SessionState[] batch = Arrays.copyOfRange(sessions, from, from + n);
            StepResult[] r = p.step(batch, Arrays.copyOfRange(inputs, from, from + n));
            for (int i = 0; i < n; i++) {
                sessions[from + i] = r[i].state();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < SESSIONS; i += 97) {
            StepResult straight = p.step(sessions[i], inputs[i]);
            StepResult restored = p.step(p.restore(sessions[i].toBytes()), inputs[i]);
            if (!Arrays.equals(straight.outputs(), restored.outputs()) || !straight.state().equals(restored.state())) {
                mismatches++;
            }
        }
        out.printf(Locale.ROOT, "%-12s %-18s %6d floats  %7.0f B per session held  %6d B serialized  %6.1f MB for %,d  "
                        + "all stepped once in %.3f s (%.2f us per session step)  round trips differing: %d%n",
                name, p.stateLayout(), p.stateSize(), (double) held / SESSIONS, sessions[0].toBytes().length, held / 1e6, SESSIONS,
                seconds, seconds / SESSIONS * 1e6, mismatches);
        out.flush();
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        measure("forecaster", ServedModels.predictor(args.length > 0 ? args[0] : "forecaster"), out);
        measure("classifier", ServedModels.predictor(args.length > 1 ? args[1] : "classifier"), out);
    }
}
