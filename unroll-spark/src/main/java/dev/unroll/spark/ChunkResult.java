package dev.unroll.spark;

import dev.unroll.train.BatchSums;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One block's share of a step, sent back to the driver: the gradient of its summed loss (or, for
 * local SGD, its weighted parameter change) and its sums.
 *
 * @param chunk the block's (or worker's) index, which fixes the order the driver adds results in
 * @param partition the partition whose task computed it
 * @param nanos the task's compute time for this piece (for the step's cost profile)
 */
record ChunkResult(int chunk, float[] gradient, BatchSums sums, int partition, long nanos) implements Serializable {

    /**
     * Adds the pieces' gradients into {@code into} (overwritten) and their sums, in the order of
     * their indices whatever order they arrived in, so the result has the same bits however the
     * pieces were spread over tasks. Each index must come once.
     */
    static BatchSums addInOrder(List<ChunkResult> pieces, float[] into, int metrics) {
        List<ChunkResult> ordered = new ArrayList<>(pieces);
        ordered.sort(Comparator.comparingInt(ChunkResult::chunk));
        java.util.Arrays.fill(into, 0f);
        BatchSums total = BatchSums.zero(metrics);
        for (int i = 0; i < ordered.size(); i++) {
            ChunkResult r = ordered.get(i);
            if (i > 0 && ordered.get(i - 1).chunk == r.chunk) {
                throw new IllegalStateException("piece " + r.chunk + " of a step arrived twice");
            }
            if (r.gradient.length != into.length) {
                throw new IllegalStateException("piece " + r.chunk + ": expected " + into.length + " gradient values, got " + r.gradient.length);
            }
            float[] g = r.gradient;
            for (int j = 0; j < g.length; j++) {
                into[j] += g[j];
            }
            total = total.plus(r.sums);
        }
        return total;
    }

    /** The busiest partition's compute time: the part of a step no other task can shorten. */
    static long slowestPartition(List<ChunkResult> pieces) {
        java.util.Map<Integer, Long> byPartition = new java.util.HashMap<>();
        for (ChunkResult r : pieces) {
            byPartition.merge(r.partition, r.nanos, Long::sum);
        }
        return byPartition.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** All pieces' compute time. */
    static long totalNanos(List<ChunkResult> pieces) {
        return pieces.stream().mapToLong(ChunkResult::nanos).sum();
    }
}
