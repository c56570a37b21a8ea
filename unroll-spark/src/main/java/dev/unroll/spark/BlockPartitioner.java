package dev.unroll.spark;

import org.apache.spark.Partitioner;

/** Places block {@code b} of {@code blocks} in partition {@code b · partitions / blocks}: runs of neighbours, evenly. */
final class BlockPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int blocks;
    private final int partitions;

    BlockPartitioner(int blocks, int partitions) {
        this.blocks = blocks;
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) ((long) (Integer) key * partitions / blocks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPartitioner p && p.blocks == blocks && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return 31 * blocks + partitions;
    }
}
