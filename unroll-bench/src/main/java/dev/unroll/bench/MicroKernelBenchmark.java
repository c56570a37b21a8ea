package dev.unroll.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The AVX2 GEMM's inner loop alone, against what the core can do: how far the micro-kernel is from
 * the machine's FMA throughput, and which of its parts costs what. One call is a 6 × 16 tile over
 * kc = 256 k-steps, operands in L1: 2·6·16·256 = 49 152 FLOP, so GFLOP/s = 49.152 / (µs/op) / 1000.
 * <ul>
 *   <li>{@code kernel}: {@code VectorGemm.microKernelHalf} itself (per k: two B vectors, six
 *       broadcasts of A, twelve FMAs);
 *   <li>{@code withoutBroadcasts}: the same B loads and twelve FMAs, A held in registers;
 *   <li>{@code fmasOnly}: twelve independent FMAs per step and nothing else, the core's ceiling.
 * </ul>
 * Meaningful on a 256-bit machine (the kernel is the half-panel path); C2's code for these loops
 * varies from one JVM to the next, so compare forks, not single runs.
 */
public class MicroKernelBenchmark extends KernelBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = F.length();
    private static final int KC = 256;
    /** The packed panel's width (VectorGemm.NR); the kernel reads one 16-column half of it. */
    private static final int PANEL = 32;
    private static final MethodHandle KERNEL = kernelHandle();

    private float[] a;
    private float[] panel;
    private float[] out;

    private static MethodHandle kernelHandle() {
        try {
            Class<?> gemm = Class.forName("dev.unroll.kernel.VectorGemm");
            MethodType type = MethodType.methodType(void.class, float[].class, int.class, float[].class, int.class,
                    int.class, float[].class, int.class, int.class, boolean.class);
            return MethodHandles.privateLookupIn(gemm, MethodHandles.lookup()).findStatic(gemm, "microKernelHalf", type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Setup
    public void setUp() {
        a = BenchData.uniform(6 * KC, 1f, 1);
        panel = BenchData.uniform(PANEL * KC, 1f, 2);
        out = new float[6 * 16];
    }

    @Benchmark
    public float[] kernel() throws Throwable {
        KERNEL.invokeExact(a, 0, panel, 0, KC, out, 0, 16, false);
        return out;
    }

    @Benchmark
    public float[] withoutBroadcasts() {
        FloatVector x0 = FloatVector.broadcast(F, a[0]);
        FloatVector x1 = FloatVector.broadcast(F, a[1]);
        FloatVector x2 = FloatVector.broadcast(F, a[2]);
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int p = 0; p < KC; p++) {
            FloatVector b0 = FloatVector.fromArray(F, panel, p * PANEL);
            FloatVector b1 = FloatVector.fromArray(F, panel, p * PANEL + L);
            c0 = x0.fma(b0, c0); c1 = x0.fma(b1, c1);
            c2 = x1.fma(b0, c2); c3 = x1.fma(b1, c3);
            c4 = x2.fma(b0, c4); c5 = x2.fma(b1, c5);
            c6 = b0.fma(x0, c6); c7 = b1.fma(x1, c7);
            c8 = b0.fma(x2, c8); c9 = b1.fma(x0, c9);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x2, c11);
        }
        return store(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
    }

    @Benchmark
    public float[] fmasOnly() {
        FloatVector x = FloatVector.broadcast(F, a[0]);
        FloatVector b0 = FloatVector.fromArray(F, panel, 0);
        FloatVector b1 = FloatVector.fromArray(F, panel, L);
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int p = 0; p < KC; p++) {
            c0 = x.fma(b0, c0); c1 = x.fma(b1, c1);
            c2 = x.fma(b0, c2); c3 = x.fma(b1, c3);
            c4 = x.fma(b0, c4); c5 = x.fma(b1, c5);
            c6 = x.fma(b0, c6); c7 = x.fma(b1, c7);
            c8 = x.fma(b0, c8); c9 = x.fma(b1, c9);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
        }
        return store(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
    }

    // Twelve parameters, not varargs: an array of vectors would box them.
    private float[] store(FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, FloatVector c4, FloatVector c5,
                          FloatVector c6, FloatVector c7, FloatVector c8, FloatVector c9, FloatVector c10, FloatVector c11) {
        c0.intoArray(out, 0); c1.intoArray(out, L); c2.intoArray(out, 2 * L); c3.intoArray(out, 3 * L);
        c4.intoArray(out, 4 * L); c5.intoArray(out, 5 * L); c6.intoArray(out, 6 * L); c7.intoArray(out, 7 * L);
        c8.intoArray(out, 8 * L); c9.intoArray(out, 9 * L); c10.intoArray(out, 10 * L); c11.intoArray(out, 11 * L);
        return out;
    }
}
