package dev.unroll.bench;

import dev.unroll.kernel.GemmOp;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link Kernels#gemm} on the shapes that dominate training a recurrent network, on 1 and 2
 * threads. Shapes are {@code OP:m×n×k}: a square reference, one recurrent step
 * (batch 150, hidden 150), the input projection of a whole sequence ({@code [4200×28]·[150×28]ᵀ})
 * and the weight gradient summed over it ({@code [4200×150]ᵀ·[4200×150]}).
 * GFLOP/s = 2·m·n·k / (µs/op) / 1000.
 */
public class GemmBenchmark extends KernelBenchmark {
    @Param({"NN:1024x1024x1024", "NN:150x150x150", "NT:4200x150x28", "TN:150x150x4200"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmOp op;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        op = GemmOp.valueOf(shape.substring(0, shape.indexOf(':')));
        String[] dims = shape.substring(shape.indexOf(':') + 1).split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        a = BenchData.uniform(m * k, 1f, 1);
        b = BenchData.uniform(k * n, 1f, 2);
        c = new float[m * n];
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] gemm() {
        int lda = op.transA ? m : k;
        int ldb = op.transB ? k : n;
        Kernels.gemm(op, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        return c;
    }
}
