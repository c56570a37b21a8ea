package dev.unroll.spark;

import dev.unroll.tensor.Rng;

/** Random streams of the pieces of a distributed step, derived from one seed the driver draws. */
final class Seeds {
    private Seeds() {
    }

    /**
     * The stream of piece {@code index} (a block, or a worker) for the step seeded {@code seed}:
     * mixed, so that neighbouring pieces do not get shifted copies of one stream.
     */
    static Rng stream(long seed, int index) {
        return new Rng(seed ^ (0xD1B54A32D192ED03L * (index + 1L))).split();
    }
}
