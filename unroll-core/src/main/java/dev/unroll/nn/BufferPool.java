package dev.unroll.nn;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float arrays a fused sequence pass borrows from its cell and gives back once backpropagation
 * has consumed them, so that a training step does not allocate (and have the JVM zero) the
 * megabytes of per-step buffers a recurrent layer keeps. Arrays come back with stale contents:
 * borrowers write every element they later read.
 *
 * <p>Arrays are matched by exact length, which repeats from step to step; at most
 * {@value #MAX_PER_SIZE} of each length are kept, and at most an eighth of the heap in all: batches
 * of many different lengths (texts bucketed by length) would otherwise each leave their arrays
 * here until the heap is full. Past that bound the lengths used least recently are dropped. A pass
 * whose graph is dropped without a backward pass simply never returns its arrays (the garbage
 * collector takes them). Thread-safe.
 */
final class BufferPool {
    private static final int MAX_PER_SIZE = 4;
    /** The most floats held, over all lengths. */
    private static final long MAX_FLOATS = dev.unroll.tensor.Memory.maxHeapBytes() / 8 / Float.BYTES;
    /** Free arrays by length, the length used least recently first. */
    private final Map<Integer, ArrayDeque<float[]>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long held;

    /** An array of exactly {@code size} floats, with unspecified contents. */
    synchronized float[] take(int size) {
        ArrayDeque<float[]> q = free.get(size);
        float[] a = q == null ? null : q.poll();
        if (a != null) {
            held -= a.length;
            return a;
        }
        return new float[size];
    }

    /** Gives arrays back for reuse; nulls are ignored, and no array may be given back twice. */
    synchronized void give(float[]... arrays) {
        for (float[] a : arrays) {
            if (a == null) {
                continue;
            }
            ArrayDeque<float[]> q = free.computeIfAbsent(a.length, n -> new ArrayDeque<>());
            if (q.size() < MAX_PER_SIZE && a.length <= MAX_FLOATS) {
                q.push(a);
                held += a.length;
            }
        }
        Iterator<Map.Entry<Integer, ArrayDeque<float[]>>> oldest = free.entrySet().iterator();
        while (held > MAX_FLOATS && oldest.hasNext()) {
            Map.Entry<Integer, ArrayDeque<float[]>> e = oldest.next();
            held -= (long) e.getValue().size() * e.getKey();
            oldest.remove();
        }
    }
}
