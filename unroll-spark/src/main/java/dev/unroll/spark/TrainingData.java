package dev.unroll.spark;

import dev.unroll.train.SequenceDataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A training table packed for distributed training: its rows numbered in table order, cut into
 * {@code chunks} contiguous {@link Block}s, the blocks spread over partitions and cached. The
 * number of blocks fixes how a global batch is split into partial sums, and so the bits of the
 * result; the number of partitions only decides where the blocks are computed.
 */
public final class TrainingData {
    final JavaRDD<Block> blocks;
    final Layout layout;
    final int blockRows;
    final int blockCount;

    private TrainingData(JavaRDD<Block> blocks, Layout layout, int blockRows, int blockCount) {
        this.blocks = blocks;
        this.layout = layout;
        this.blockRows = blockRows;
        this.blockCount = blockCount;
    }

    /**
     * Reads {@code table} (two passes: its shape, then its blocks) into {@code chunks} blocks over
     * {@code partitions} partitions, cached in memory (spilling to disk).
     */
    public static TrainingData of(Dataset<Row> table, SequenceColumns columns, int chunks, int partitions) {
        if (!columns.hasLabels() && !columns.hasTargets()) {
            throw new IllegalArgumentException("training needs a label column or a target column besides '" + columns.input() + "'");
        }
        if (chunks < 1 || partitions < 1) {
            throw new IllegalArgumentException("chunks and partitions must be at least 1, got " + chunks + " and " + partitions);
        }
        JavaRDD<Example> examples = examples(table, columns).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Layout layout = examples.map(Layout::of).reduce(Layout::merge);
            if (layout.rows() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the table has " + layout.rows() + " rows; one training set holds at most "
                        + Integer.MAX_VALUE);
            }
            int n = (int) layout.rows();
            int blockRows = (n + chunks - 1) / chunks;
            int blockCount = (n + blockRows - 1) / blockRows;
            JavaRDD<Block> blocks = examples.zipWithIndex()
                    .mapToPair(t -> new Tuple2<>((int) (t._2() / blockRows), new Tuple2<>(t._2(), t._1())))
                    .partitionBy(new BlockPartitioner(blockCount, partitions))
                    .mapPartitions(rows -> assemble(rows, layout, blockRows), true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long built = blocks.count();
            if (built != blockCount) {
                throw new IllegalStateException("packed " + built + " blocks, expected " + blockCount);
            }
            return new TrainingData(blocks, layout, blockRows, blockCount);
        } finally {
            examples.unpersist(false);
        }
    }

    /** A small table (e.g. a validation set) as one in-memory data set on the driver. */
    public static SequenceDataset collect(Dataset<Row> table, SequenceColumns columns) {
        List<Example> rows = examples(table, columns).collect();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the table is empty");
        }
        Layout layout = rows.stream().map(Layout::of).reduce(Layout::merge).orElseThrow();
        List<Tuple2<Long, Example>> indexed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            indexed.add(new Tuple2<>((long) i, rows.get(i)));
        }
        return new Block(0, 0, rows.size(), layout, indexed).dataset();
    }

    private static JavaRDD<Example> examples(Dataset<Row> table, SequenceColumns columns) {
        StructType schema = table.schema();
        columns.check(schema);
        return table.toJavaRDD().mapPartitions(rows -> {
            SequenceColumns.Reader reader = columns.reader(schema);
            return new Iterator<Example>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Example next() {
                    return reader.read(rows.next());
                }
            };
        });
    }

    private static Iterator<Block> assemble(Iterator<Tuple2<Integer, Tuple2<Long, Example>>> rows, Layout layout, int blockRows) {
        TreeMap<Integer, List<Tuple2<Long, Example>>> byBlock = new TreeMap<>();
        while (rows.hasNext()) {
            Tuple2<Integer, Tuple2<Long, Example>> r = rows.next();
            byBlock.computeIfAbsent(r._1(), b -> new ArrayList<>()).add(r._2());
        }
        List<Block> blocks = new ArrayList<>(byBlock.size());
        for (var e : byBlock.entrySet()) {
            long first = (long) e.getKey() * blockRows;
            int count = (int) Math.min(blockRows, layout.rows() - first);
            blocks.add(new Block(e.getKey(), first, count, layout, e.getValue()));
        }
        return blocks.iterator();
    }

    /** Training rows. */
    public int size() {
        return (int) layout.rows();
    }

    /** Blocks: the partial sums of every global batch. */
    public int chunks() {
        return blockCount;
    }

    public int partitions() {
        return blocks.getNumPartitions();
    }

    /** Frees the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
