package dev.unroll.spark;

import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Trainer}'s model on a Spark table: the trainer's own fit loop (epochs, batch
 * size, seed, optimizer, schedule, clipping, metrics, validation, callbacks, listener events),
 * with each global batch's summed loss and gradient computed by a Spark job over the cached
 * {@link TrainingData}.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.001))
 *     .batchSize(4096).epochs(10).seed(42).metrics(Metric.accuracy()).build();
 * SparkTrainer spark = SparkTrainer.builder(session, trainer).chunks(32)
 *     .checkpoints("hdfs:///models/run1", 100).build();
 * List<Progress> history = spark.fit(table, SequenceColumns.of("pixels").labels("label"), validation);
 * }</pre>
 *
 * <p>Synchronous (the default), training is exact: the same seed and global batch give the same
 * bits with any number of partitions and executors, and equal {@code Trainer.fit} on one machine
 * up to the rounding of adding {@code chunks} partial sums. {@linkplain Builder#localSgd Local
 * SGD} trades that for fewer, longer jobs. With {@linkplain Builder#checkpoints checkpoints}, a
 * fit resumes from the newest one it finds (a restarted driver continues where the old one
 * stopped, bit for bit).
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final Trainer trainer;
    private final int chunks;
    private final int passRows;
    private final int partitions;
    private final String checkpointDir;
    private final long checkpointEvery;
    private final int checkpointsKept;
    private final LocalSgd localSgd;
    private final boolean probe;
    private StepProfile profile = StepProfile.EMPTY;
    private KernelProbe.Report kernels;

    private SparkTrainer(Builder b) {
        this.spark = b.spark;
        this.sc = JavaSparkContext.fromSparkContext(b.spark.sparkContext());
        this.trainer = b.trainer;
        this.chunks = b.chunks;
        this.passRows = b.passRows;
        this.partitions = b.partitions > 0 ? b.partitions : sc.defaultParallelism();
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointsKept = b.checkpointsKept;
        this.localSgd = b.localSgd;
        this.probe = b.probe;
    }

    public static Builder builder(SparkSession spark, Trainer trainer) {
        return new Builder(spark, trainer);
    }

    /** Distributed-training settings; the training settings are the {@link Trainer}'s. */
    public static final class Builder {
        private final SparkSession spark;
        private final Trainer trainer;
        private int chunks = 16;
        private int passRows = 128;
        private int partitions;
        private String checkpointDir;
        private long checkpointEvery;
        private int checkpointsKept = 2;
        private LocalSgd localSgd;
        private boolean probe = true;

        private Builder(SparkSession spark, Trainer trainer) {
            this.spark = spark;
            this.trainer = trainer;
        }

        /**
         * Blocks the training table is cut into (default 16): every global batch is added up from
         * this many partial sums, in block order. It fixes the bits of the result; use at least as
         * many as the cores that should work on a step.
         */
        public Builder chunks(int n) {
            chunks = n;
            return this;
        }

        /**
         * Rows per forward and backward pass inside a task (default 128): a block's share of a
         * batch is computed in passes of this size, whose summed gradients are added in order.
         * Fixed-size passes reuse their buffers from step to step. Like {@link #chunks}, it fixes
         * the bits of the result, not the partitioning.
         */
        public Builder passRows(int n) {
            passRows = n;
            return this;
        }

        /** Partitions the blocks are spread over (default: Spark's default parallelism). */
        public Builder partitions(int n) {
            partitions = n;
            return this;
        }

        /**
         * Saves the training state to {@code directory} (any Hadoop file-system URI) every
         * {@code everySteps} optimizer steps and at the end, and resumes from the newest
         * checkpoint there when {@code fit} starts.
         */
        public Builder checkpoints(String directory, long everySteps) {
            checkpointDir = directory;
            checkpointEvery = everySteps;
            return this;
        }

        /** Checkpoints kept (default 2: a new one is complete before the oldest goes). */
        public Builder keepCheckpoints(int n) {
            checkpointsKept = n;
            return this;
        }

        /**
         * Local SGD instead of synchronous steps: each global batch of the trainer is one round in
         * which every partition trains its share for {@code settings}' steps and the driver
         * averages the results (see {@link LocalSgd}).
         */
        public Builder localSgd(LocalSgd settings) {
            localSgd = settings;
            return this;
        }

        /** Whether {@code fit} first asks every executor which kernels it runs (default true). */
        public Builder probeKernels(boolean on) {
            probe = on;
            return this;
        }

        public SparkTrainer build() {
            if (chunks < 1 || passRows < 1) {
                throw new IllegalArgumentException("chunks and rows per pass must be at least 1, got " + chunks + " and " + passRows);
            }
            if (checkpointDir != null && checkpointEvery < 1) {
                throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + checkpointEvery);
            }
            return new SparkTrainer(this);
        }
    }

    /** Packs {@code table} for training (reusable by several fits; {@link TrainingData#release} frees it). */
    public TrainingData prepare(Dataset<Row> table, SequenceColumns columns) {
        return TrainingData.of(table, columns, chunks, partitions);
    }

    /** Packs {@code table}, trains on it, frees it; {@code validation} is evaluated on the driver after every epoch. */
    public List<Progress> fit(Dataset<Row> table, SequenceColumns columns, SequenceDataset validation) {
        TrainingData data = prepare(table, columns);
        try {
            return fit(data, validation);
        } finally {
            data.release();
        }
    }

    /** Trains on packed data (continuing from the newest checkpoint, when checkpoints are on). */
    public List<Progress> fit(TrainingData data, SequenceDataset validation) {
        if (probe) {
            kernels = KernelProbe.run(spark);
        }
        HadoopCheckpoints checkpoints = checkpoints();
        long[] lastSaved = {resume(checkpoints)};
        Runnable beforeStep = () -> {
            long done = trainer.state().iterations();
            if (checkpoints != null && done > lastSaved[0] && done % checkpointEvery == 0) {
                save(checkpoints);
                lastSaved[0] = done;
            }
        };
        Broadcast<TrainingTask> task = sc.broadcast(new TrainingTask(trainer));
        try {
            DistributedStep source = localSgd == null
                    ? new SynchronousGradients(sc, data, task, trainer.model(), passRows, beforeStep)
                    : new LocalSgdRounds(sc, data, task, trainer.model(), localSgd, beforeStep);
            List<Progress> history;
            try {
                history = trainer.fit(source, validation);
            } finally {
                profile = profile.plus(source.profile());
            }
            if (checkpoints != null && trainer.state().iterations() > lastSaved[0]) {
                save(checkpoints);
            }
            return history;
        } finally {
            task.destroy();
        }
    }

    private HadoopCheckpoints checkpoints() {
        if (checkpointDir == null) {
            return null;
        }
        try {
            return new HadoopCheckpoints(checkpointDir, sc.hadoopConfiguration(), checkpointsKept);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint directory " + checkpointDir, e);
        }
    }

    private long resume(HadoopCheckpoints checkpoints) {
        if (checkpoints == null) {
            return trainer.state().iterations();
        }
        try {
            long step = checkpoints.resumeLatest(trainer);
            if (step >= 0) {
                LOG.info("Unroll on Spark: resumed from the checkpoint of step {} in {}", step, checkpointDir);
            }
            return trainer.state().iterations();
        } catch (IOException e) {
            throw new UncheckedIOException("resuming from " + checkpointDir, e);
        }
    }

    private void save(HadoopCheckpoints checkpoints) {
        try {
            checkpoints.save(trainer);
        } catch (IOException e) {
            throw new UncheckedIOException("saving a checkpoint to " + checkpointDir, e);
        }
    }

    public Trainer trainer() {
        return trainer;
    }

    /** Where the time of this trainer's steps went so far. */
    public StepProfile profile() {
        return profile;
    }

    /** The executors' kernels as the last fit found them (null before, or with the probe off). */
    public KernelProbe.Report kernels() {
        return kernels;
    }
}
