package dev.unroll.bench;

import dev.unroll.kernel.GemmOp;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A plain GEMM throughput probe: square {@code C = A·B} (NN) through {@link Kernels#gemm}, timed
 * after a warm-up, in GFLOP/s (2·n³ floating-point operations per product). Quicker and less
 * rigorous than the JMH benchmarks; {@code unroll bench gemm} runs it.
 */
public final class GemmThroughput {
    /** C2 needs about a second to compile the kernels; before that they run 50× slower. */
    private static final long WARM_UP_NANOS = 1_200_000_000L;
    private static final long MEASURE_NANOS = 2_000_000_000L;

    /** The largest size measured: three matrices of 8192² floats take 768 MiB. */
    public static final int MAX_SIZE = 8192;

    private GemmThroughput() {
    }

    /**
     * Multiplies two random {@code size × size} matrices repeatedly on {@code threads} threads and
     * prints one line with the size, threads, provider and GFLOP/s, then {@code gflops=<value>} as
     * the last line. Returns the GFLOP/s. The thread count of {@link Parallel} is restored afterwards.
     */
    public static double run(int size, int threads, PrintWriter out) {
        if (size < 1 || threads < 1) {
            throw new IllegalArgumentException("size and threads must be positive, got size " + size + ", threads " + threads);
        }
        float[] a = BenchData.uniform(size * size, 1f, 1);
        float[] b = BenchData.uniform(size * size, 1f, 2);
        float[] c = new float[size * size];
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            out.println(Kernels.tuning());
            timeProducts(size, a, b, c, WARM_UP_NANOS);
            long start = System.nanoTime();
            long products = timeProducts(size, a, b, c, MEASURE_NANOS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double gflops = 2.0 * size * size * size * products / seconds / 1e9;
            out.printf(Locale.ROOT, "gemm size=%d threads=%d provider=%s products=%d seconds=%.3f GFLOP/s=%.1f%n",
                    size, threads, Kernels.provider().name(), products, seconds, gflops);
            out.printf(Locale.ROOT, "gflops=%.1f%n", gflops);
            return gflops;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Runs products for at least {@code nanos} (at least one), returns how many. */
    private static long timeProducts(int n, float[] a, float[] b, float[] c, long nanos) {
        long start = System.nanoTime();
        long count = 0;
        do {
            Kernels.gemm(GemmOp.NN, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            count++;
        } while (System.nanoTime() - start < nanos);
        return count;
    }

    /** {@code GemmThroughput [size [threads]]}: defaults 1024 and all available processors. */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        run(size, threads, new PrintWriter(System.out, true));
    }
}
