package dev.unroll.spark;

import dev.unroll.data.MiniBatches;
import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSums;
import dev.unroll.train.GradientStep;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The rounds of {@link LocalSgd}: each global batch is one job in which every partition trains on
 * its rows of the batch and returns {@code c · (w₀ − w)}, its parameter change weighted by its loss
 * terms {@code c}; the driver adds them in partition order, and the fit loop's division by the
 * total count makes that the weighted mean change, which the trainer's optimizer applies.
 */
final class LocalSgdRounds extends DistributedStep {
    private final LocalSgd settings;

    LocalSgdRounds(JavaSparkContext sc, TrainingData data, Broadcast<TrainingTask> task, Layer model, LocalSgd settings,
                   Runnable beforeStep) {
        super(sc, data, task, model, beforeStep);
        this.settings = settings;
    }

    @Override
    StepFunction pieces(Broadcast<float[]> weights, int[] batch, long seed) {
        return new Round(task, weights, batch, data.blockRows, seed, settings);
    }

    /** One partition's round: its rows of the batch, {@code steps} local updates, the weighted change. */
    private static final class Round extends StepFunction {
        private static final long serialVersionUID = 1L;
        private final LocalSgd settings;

        Round(Broadcast<TrainingTask> task, Broadcast<float[]> weights, int[] batch, int blockRows, long seed, LocalSgd settings) {
            super(task, weights, batch, blockRows, seed);
            this.settings = settings;
        }

        @Override
        public Iterator<ChunkResult> call(Iterator<Block> blocks) {
            useTaskCores();
            List<Batch> parts = new ArrayList<>();
            while (blocks.hasNext()) {
                Block block = blocks.next();
                int[] rows = rowsIn(block);
                if (rows.length > 0) {
                    parts.add(block.batch(rows));
                }
            }
            if (parts.isEmpty()) {
                return List.<ChunkResult>of().iterator();
            }
            long start = System.nanoTime();
            TrainingTask t = task.value();
            float[] w0 = weights.value();
            GradientStep replica = Replicas.borrow(t, w0);
            try {
                Layer local = replica.model();
                Trainer worker = Trainer.builder(local, t.loss, settings.optimizer().create(local))
                        .metrics(t.metrics.toArray(new dev.unroll.train.Metric[0])).build();
                SequenceDataset rows = concat(parts);
                Rng dropout = Seeds.stream(seed, partition());
                BatchSums total = BatchSums.zero(t.metrics.size());
                int perStep = (rows.size() + settings.steps() - 1) / settings.steps();
                for (int[] indices : new MiniBatches(rows.size(), perStep).inOrder()) {
                    Batch b = rows.batch(indices);
                    BatchSums sums = worker.computeGradients(b, Context.training(b.lengths(), dropout));
                    worker.applyGradients(sums);
                    total = total.plus(sums);
                }
                float[] w = local.flatParameters().values();
                float[] change = new float[w.length];
                float weight = (float) total.count();
                for (int i = 0; i < w.length; i++) {
                    change[i] = weight * (w0[i] - w[i]);
                }
                return List.of(new ChunkResult(partition(), change, total, partition(),
                        System.nanoTime() - start)).iterator();
            } finally {
                Replicas.release(t, replica);
            }
        }

        /** The blocks' shares of the batch, one after the other. */
        private static SequenceDataset concat(List<Batch> parts) {
            Batch first = parts.get(0);
            if (parts.size() == 1) {
                return dataset(first.inputs(), first.targets(), first.labels(), first.lengths());
            }
            List<Tensor> inputs = new ArrayList<>();
            List<Tensor> targets = new ArrayList<>();
            int n = 0;
            for (Batch b : parts) {
                inputs.add(b.inputs());
                if (b.targets() != null) {
                    targets.add(b.targets());
                }
                n += b.size();
            }
            int[] labels = first.labels() == null ? null : new int[n];
            int[] lengths = first.lengths() == null ? null : new int[n];
            int at = 0;
            for (Batch b : parts) {
                if (labels != null) {
                    System.arraycopy(b.labels(), 0, labels, at, b.size());
                }
                if (lengths != null) {
                    System.arraycopy(b.lengths(), 0, lengths, at, b.size());
                }
                at += b.size();
            }
            return dataset(Tensor.concat(0, inputs), targets.isEmpty() ? null : Tensor.concat(0, targets), labels, lengths);
        }

        private static SequenceDataset dataset(Tensor inputs, Tensor targets, int[] labels, int[] lengths) {
            SequenceDataset d = labels != null ? SequenceDataset.classification(inputs, labels) : SequenceDataset.regression(inputs, targets);
            return lengths == null ? d : d.withLengths(lengths);
        }
    }
}
