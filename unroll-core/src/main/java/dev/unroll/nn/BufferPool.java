package dev.unroll.nn;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays a fused sequence pass borrows from its cell and gives back once backpropagation
 * has consumed them, so that a training step does not allocate (and have the JVM zero) the
 * megabytes of per-step buffers a recurrent layer keeps. Arrays come back with stale contents:
 * borrowers write every element they later read.
 *
 * <p>Arrays are matched by exact length, which repeats from step to step; at most
 * {@value #MAX_PER_SIZE} of each length are kept. A pass whose graph is dropped without a backward
 * pass simply never returns its arrays (the garbage collector takes them). Thread-safe.
 */
final class BufferPool {
    private static final int MAX_PER_SIZE = 4;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();

    /** An array of exactly {@code size} floats, with unspecified contents. */
    synchronized float[] take(int size) {
        ArrayDeque<float[]> q = free.get(size);
        float[] a = q == null ? null : q.poll();
        return a != null ? a : new float[size];
    }

    /** Gives arrays back for reuse; nulls are ignored, and no array may be given back twice. */
    synchronized void give(float[]... arrays) {
        for (float[] a : arrays) {
            if (a == null) {
                continue;
            }
            ArrayDeque<float[]> q = free.computeIfAbsent(a.length, n -> new ArrayDeque<>());
            if (q.size() < MAX_PER_SIZE) {
                q.push(a);
            }
        }
    }
}
