package dev.unroll.bench;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One recurrent step's activation: tanh (and sigmoid, for LSTM/GRU gates) over 150×150 floats,
 * with the Vector API provider and the scalar reference ({@code Math.tanh}/{@code Math.exp}) for
 * comparison. Inputs span the useful range [−6, 6).
 */
public class ActivationBenchmark extends KernelBenchmark {
    private static final int SIZE = 150 * 150;

    @Param({"TANH", "SIGMOID"})
    public Activation activation;

    @Param({"vector", "scalar"})
    public String provider;

    private KernelProvider kernels;
    private float[] x;
    private float[] y;

    @Setup
    public void setUp() {
        kernels = provider.equals("scalar") ? Kernels.scalar() : Kernels.provider();
        x = BenchData.uniform(SIZE, 6f, 3);
        y = new float[SIZE];
    }

    @Benchmark
    public float[] activate() {
        kernels.activate(activation, x, 0, y, 0, SIZE);
        return y;
    }
}
