package dev.unroll.infer;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small lock-free pool of reusable objects (a predictor's per-call buffers), striped so that
 * threads working at the same time rarely touch the same slot: each thread starts at a slot picked
 * from its identity, one cache line apart from the others. {@link #take} returns null when its
 * slots are empty (the caller makes a new object); {@link #give} drops the object when they are
 * full, so the pool holds at most {@code slots} objects.
 */
final class StripedPool<T> {
    /** References per 64-byte cache line (compressed oops), so that slots do not share lines. */
    private static final int SPREAD = 16;
    /** Slots a call tries, from its own onwards. */
    private static final int PROBES = 4;

    private final AtomicReferenceArray<T> slots;
    private final int mask;

    /** A pool of at least {@code capacity} slots (rounded up to a power of two). */
    StripedPool(int capacity) {
        int n = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.mask = n - 1;
        this.slots = new AtomicReferenceArray<>(n * SPREAD);
    }

    /** A pooled object, or null. */
    T take() {
        int home = home();
        for (int i = 0; i < PROBES; i++) {
            T t = slots.getAndSet(((home + i) & mask) * SPREAD, null);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Offers an object back; dropped when the slots it tries are taken. */
    void give(T t) {
        int home = home();
        for (int i = 0; i < PROBES; i++) {
            if (slots.compareAndSet(((home + i) & mask) * SPREAD, null, t)) {
                return;
            }
        }
    }

    private static int home() {
        int h = System.identityHashCode(Thread.currentThread());
        return h ^ (h >>> 16);
    }
}
