package dev.unroll.spark;

import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.SequenceDataset;
import java.io.Serializable;
import java.util.List;

/**
 * A fixed, contiguous range of a training table's rows, {@code [first, first + count)}, packed as
 * one padded in-memory data set: the unit of work of distributed training. Which rows a block holds
 * depends only on the table and the number of blocks, never on the number of partitions or
 * executors, so a block's share of a global batch, and its summed gradient, are the same bits
 * wherever it is computed.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int id;
    final long first;
    final int count;
    private final Layout layout;
    private final float[] inputs;
    private final int[] lengths;
    private final int[] labels;
    private final float[] targets;
    private transient SequenceDataset data;

    /** The block of {@code rows} (index and example), which must be exactly its range, in any order. */
    Block(int id, long first, int count, Layout layout, List<scala.Tuple2<Long, Example>> rows) {
        if (rows.size() != count) {
            throw new IllegalStateException("block " + id + ": expected " + count + " rows, got " + rows.size());
        }
        this.id = id;
        this.first = first;
        this.count = count;
        this.layout = layout;
        int steps = layout.steps();
        int features = layout.features();
        this.inputs = new float[count * steps * features];
        this.lengths = layout.lengths() ? new int[count] : null;
        this.labels = layout.labels() ? new int[count] : null;
        int targetSize = layout.targetSteps() * layout.targetFeatures();
        this.targets = targetSize > 0 ? new float[count * (layout.lengths() ? steps * layout.targetFeatures() : targetSize)] : null;
        for (scala.Tuple2<Long, Example> row : rows) {
            int r = (int) (row._1() - first);
            Example e = row._2();
            System.arraycopy(e.values(), 0, inputs, r * steps * features, e.values().length);
            if (lengths != null) {
                lengths[r] = e.length();
            }
            if (labels != null) {
                labels[r] = e.label();
            }
            if (targets != null) {
                if (layout.lengths() && e.targetSteps() != e.steps()) {
                    throw new IllegalArgumentException("row " + row._1() + ": " + e.targetSteps() + " target steps for a sequence of "
                            + e.steps() + " steps; sequences of different lengths need a target at every step");
                }
                if (!layout.lengths() && e.targetSteps() != layout.targetSteps()) {
                    throw new IllegalArgumentException("row " + row._1() + ": " + e.targetSteps() + " target steps, other rows have "
                            + layout.targetSteps());
                }
                System.arraycopy(e.targets(), 0, targets, r * (targets.length / count), e.targets().length);
            }
        }
    }

    /** The rows of this block at positions {@code rows} (relative to {@link #first}), in that order. */
    Batch batch(int[] rows) {
        return dataset().batch(rows);
    }

    /** The whole block as a data set (built once per deserialized copy). */
    SequenceDataset dataset() {
        if (data == null) {
            Tensor x = Tensor.wrap(inputs, 0, count, layout.steps(), layout.features());
            SequenceDataset d;
            if (labels != null) {
                d = SequenceDataset.classification(x, labels);
            } else {
                int targetSteps = layout.lengths() ? layout.steps() : layout.targetSteps();
                d = SequenceDataset.regression(x, Tensor.wrap(targets, 0, count, targetSteps, layout.targetFeatures()));
            }
            data = lengths == null ? d : d.withLengths(lengths);
        }
        return data;
    }
}
