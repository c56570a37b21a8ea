package dev.unroll.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a target over mutated inputs, each on a worker thread with a time limit, and collects what
 * should not have happened. The same target, count and seed give the same inputs.
 */
public final class Fuzzer {
    /** What one input did wrong. */
    public record Finding(String target, byte[] input, String problem) {
        @Override
        public String toString() {
            return target + ": " + problem + " (input of " + input.length + " bytes)";
        }
    }

    /** The outcome of a run: inputs tried, how many were rejected as documented, and the findings. */
    public record Result(String target, int inputs, int rejected, List<Finding> findings, double seconds) {
    }

    private final Duration timeLimit;
    private ExecutorService worker = newWorker();

    public Fuzzer(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** Runs {@code inputs} mutations of the target's seeds drawn from {@code seed}. */
    public Result run(FuzzTarget target, int inputs, long seed) {
        Mutator mutator = new Mutator(seed);
        List<byte[]> seeds = target.seeds();
        List<Finding> findings = new ArrayList<>();
        int rejected = 0;
        long start = System.nanoTime();
        for (int i = 0; i < inputs; i++) {
            byte[] input = target.mutate(seeds.get(mutator.nextInt(seeds.size())), seeds.get(mutator.nextInt(seeds.size())), mutator);
            Outcome o = runOne(target, input);
            if (o.problem != null) {
                findings.add(new Finding(target.name(), input, o.problem));
            } else if (o.rejected) {
                rejected++;
            }
        }
        return new Result(target.name(), inputs, rejected, findings, (System.nanoTime() - start) / 1e9);
    }

    /** How one input went: rejected as documented, or a problem (null when fine). */
    public record Outcome(boolean rejected, String problem) {
    }

    /** Runs one input under the time limit. */
    public Outcome runOne(FuzzTarget target, byte[] input) {
        Future<?> done = worker.submit(() -> {
            target.run(input);
            return null;
        });
        try {
            done.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(false, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return target.documented(cause) ? new Outcome(true, null) : new Outcome(false, describe(cause));
        } catch (TimeoutException e) {
            done.cancel(true);
            // The stuck thread is abandoned (it is a daemon); the next input gets a fresh one.
            worker.shutdownNow();
            worker = newWorker();
            return new Outcome(false, "no answer within " + timeLimit.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
        });
    }

    /** The exception and the top of its stack: where to look. */
    static String describe(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 8); i++) {
            String line = lines[i].length() > 300 ? lines[i].substring(0, 300) + "..." : lines[i];
            sb.append(i == 0 ? "" : "\n    ").append(line.strip());
        }
        return sb.toString();
    }
}
