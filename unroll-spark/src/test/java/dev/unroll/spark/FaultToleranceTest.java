package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.optim.GradientClipping;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retried tasks change nothing, and a restarted driver resumes from a Spark-written checkpoint bit for bit. */
class FaultToleranceTest {
    @TempDir
    Path dir;

    private static Trainer trainer(Sequential model, Loss loss, TrainingListener listener) {
        return Trainer.builder(model, loss, new Adam(model, 0.005).clipping(GradientClipping.byGlobalNorm(1f)))
                .batchSize(64).epochs(3).seed(5).metrics(Metric.accuracy()).listener(listener).build();
    }

    private static float[] train(Dataset<Row> table, Loss loss, String checkpoints) {
        Sequential model = SynchronousTrainingTest.digitModel();
        SparkTrainer.Builder b = SparkTrainer.builder(TestSpark.session(), trainer(model, loss, new TrainingListener() { }))
                .chunks(6).partitions(3).probeKernels(false);
        if (checkpoints != null) {
            b.checkpoints(checkpoints, 7);
        }
        b.build().fit(table, SynchronousTrainingTest.DIGIT_COLUMNS, null);
        return model.flatParameters().values();
    }

    @Test
    void tasksThatFailMidStepAreRetriedWithTheSameBits() {
        Dataset<Row> table = Tables.digits(TestSpark.session(), 320, 10, 7);
        float[] clean = train(table, Loss.softmaxCrossEntropy(), null);
        AtomicInteger failed = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failed.incrementAndGet();
                }
            }
        };
        TestSpark.session().sparkContext().addSparkListener(counter);
        try {
            assertArrayEquals(clean, train(table, new FailingOnce(Loss.softmaxCrossEntropy()), null));
        } finally {
            TestSpark.session().sparkContext().removeSparkListener(counter);
        }
        // 15 steps, one stage each, every third stage loses partition 1's first attempt.
        org.junit.jupiter.api.Assertions.assertTrue(failed.get() >= 4, "failed attempts: " + failed.get());
    }

    /** A driver that dies after a given step. */
    private static final class DriverCrash extends RuntimeException {
        DriverCrash() {
            super("simulated driver crash");
        }
    }

    @Test
    void aRestartedDriverResumesFromTheCheckpointBitForBit() throws Exception {
        Dataset<Row> table = Tables.digits(TestSpark.session(), 320, 10, 8);
        float[] straight = train(table, Loss.softmaxCrossEntropy(), null);

        String checkpoints = dir.resolve("run").toUri().toString();
        Sequential first = SynchronousTrainingTest.digitModel();
        TrainingListener crashAfter12 = new TrainingListener() {
            @Override
            public void onStep(long iteration, double loss) {
                if (iteration == 12) {
                    throw new DriverCrash();
                }
            }
        };
        SparkTrainer dying = SparkTrainer.builder(TestSpark.session(), trainer(first, Loss.softmaxCrossEntropy(), crashAfter12))
                .chunks(6).partitions(3).probeKernels(false).checkpoints(checkpoints, 7).build();
        assertThrows(DriverCrash.class, () -> dying.fit(table, SynchronousTrainingTest.DIGIT_COLUMNS, null));
        HadoopCheckpoints saved = new HadoopCheckpoints(checkpoints, new org.apache.hadoop.conf.Configuration(), 2);
        assertEquals(7, saved.latestStep());
        // A half-written checkpoint (no completion marker) is ignored.
        Files.createDirectories(dir.resolve("run").resolve("step-000000000011"));

        // Another "driver": a new model and trainer; it finds step 7 and goes on.
        float[] resumed = train(table, Loss.softmaxCrossEntropy(), checkpoints);
        assertArrayEquals(straight, resumed);
        assertEquals(15, saved.latestStep());
    }
}
