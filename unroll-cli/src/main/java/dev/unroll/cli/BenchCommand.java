package dev.unroll.cli;

import dev.unroll.bench.GemmThroughput;
import dev.unroll.bench.Workloads;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code unroll bench ID}: the matrix-product probe ({@code gemm}) or one of the peer workloads
 * W1–W7 defined in {@code ../shared/peers/README.md}, timed the way the PyTorch script times them;
 * the last line is the figure ({@code gflops=}, {@code steps_per_s=}, {@code us_per_value=} or
 * {@code seq_per_s=}). See {@code docs/benchmarks.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Run a benchmark and print its figure on the last line.",
            "",
            "gemm: square float32 matrix products (--size), in GFLOP/s.",
            "W1..W7: the peer workloads of ../shared/peers/README.md (training steps per second, microseconds per"
                + " generated value, or sequences per second), each after a warm-up, median of 5 timed repetitions.",
            ""})
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "gemm, W1, W2, W3, W4a, W4b, W5, W6-lstm, W6-gru or W7.")
    String id;

    @Option(names = "--size", paramLabel = "N", defaultValue = "1024", description = "gemm: the matrix size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Checks.threads(spec, "--threads", t);
        PrintWriter out = main.console().out();
        if (id.equalsIgnoreCase("gemm")) {
            Checks.between(spec, "--size", size, 1, GemmThroughput.MAX_SIZE);
            GemmThroughput.run(size, t, out);
        } else if (Workloads.IDS.contains(id)) {
            Workloads.run(id, t, out);
        } else {
            throw Checks.usage(spec, "unknown benchmark '" + id + "'; expected gemm or one of " + String.join(", ", Workloads.IDS));
        }
        out.flush();
        return 0;
    }
}
