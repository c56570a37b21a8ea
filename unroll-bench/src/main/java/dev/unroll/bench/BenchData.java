package dev.unroll.bench;

import java.util.SplittableRandom;

/** Reproducible inputs for the benchmarks. */
final class BenchData {
    private BenchData() {
    }

    /** {@code size} floats uniform in [−scale, scale), from a fixed seed. */
    static float[] uniform(int size, float scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-scale, scale);
        }
        return x;
    }
}
