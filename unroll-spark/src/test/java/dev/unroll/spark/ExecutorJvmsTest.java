package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Sequential;
import dev.unroll.train.Loss;
import dev.unroll.train.Trainer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Real executor JVMs: {@code local-cluster[2,1,1024]} starts a master and two workers on loopback
 * in this JVM, and each worker an executor process. Without a Spark distribution the workers need
 * {@code SPARK_HOME/jars} to exist (set by the build, created here empty), the executors get the
 * test's class path, and {@code SPARK_SCALA_VERSION} (local-cluster runs in Spark's test mode).
 * Checks the kernel probe, exact training when tasks fail mid-step inside an executor JVM and are
 * retried, and one model parse per executor when scoring.
 *
 * <p>Speculation is not exercised: Spark never runs a speculative copy on a host that already runs
 * an attempt of the task, and both executors here share one host. A speculative copy is one more
 * attempt of a deterministic task, as a retry is.
 */
class ExecutorJvmsTest {

    @Test
    void twoExecutorJvmsTrainExactlyThroughRetriesAndParseTheScoringModelOnceEach() throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        assertTrue(sparkHome != null, "the build sets SPARK_HOME for this test");
        Files.createDirectories(Path.of(sparkHome, "jars"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The shared local[2] session must go: one SparkContext per JVM.
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        TestSpark.reset();
        SparkSession cluster = SparkSession.builder().master("local-cluster[2,1,1024]").appName("unroll-executor-jvms")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", absolute(classPath))
                .config("spark.executor.memory", "512m")
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .getOrCreate();
        try {
            cluster.sparkContext().setLogLevel("ERROR");
            waitForExecutors(cluster, 2);
            KernelProbe.Report kernels = KernelProbe.run(cluster);
            assertEquals(2, kernels.executors().size(), "answers: " + kernels);
            assertNull(kernels.warning(), "every executor runs the Vector API kernels: " + kernels);
            for (KernelProbe.Executor e : kernels.executors()) {
                assertTrue(e.kernels().startsWith("vector"), e.toString());
            }

            Dataset<Row> table = cluster.createDataFrame(Tables.digitRows(320, 10, 31), Tables.DIGITS);
            float[] exact = train(cluster, table, Loss.softmaxCrossEntropy());
            AtomicInteger failed = new AtomicInteger();
            SparkListener counter = new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (!end.taskInfo().successful()) {
                        failed.incrementAndGet();
                    }
                }
            };
            cluster.sparkContext().addSparkListener(counter);
            assertArrayEquals(exact, train(cluster, table, new FailingOnce(Loss.softmaxCrossEntropy())));
            assertTrue(failed.get() > 0, "tasks failed and were retried");

            Sequential model = SynchronousTrainingTest.digitModel();
            SequenceModel scorer = new SequenceModel(Checkpoint.toBytes(model, Map.of())).setInputCol("pixels").setLengthsCol("length");
            assertEquals(3000, scorer.transform(cluster.createDataFrame(Tables.digitRows(3000, 10, 32), Tables.DIGITS).repartition(8))
                    .count());
            List<Long> parses = JavaSparkContext.fromSparkContext(cluster.sparkContext()).parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
                    .map(i -> SparkEnvId.get() + "=" + ScoringModels.parses()).distinct().collect().stream()
                    .map(s -> Long.parseLong(s.substring(s.indexOf('=') + 1))).toList();
            assertEquals(List.of(1L, 1L), parses, "one parse in each executor JVM");
        } finally {
            cluster.stop();
        }
    }

    /** The executor's id, on the executor. */
    static final class SparkEnvId {
        static String get() {
            return org.apache.spark.SparkEnv.get().executorId();
        }
    }

    private static float[] train(SparkSession spark, Dataset<Row> table, Loss loss) {
        Sequential model = SynchronousTrainingTest.digitModel();
        Trainer trainer = Trainer.builder(model, loss, new dev.unroll.optim.Adam(model, 0.005)).batchSize(64).epochs(2).seed(9).build();
        SparkTrainer.builder(spark, trainer).chunks(4).partitions(4).probeKernels(false).build()
                .fit(table, SynchronousTrainingTest.DIGIT_COLUMNS, null);
        return model.flatParameters().values();
    }

    private static void waitForExecutors(SparkSession spark, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static String absolute(String classPath) {
        StringBuilder sb = new StringBuilder();
        for (String entry : classPath.split(File.pathSeparator)) {
            sb.append(sb.length() == 0 ? "" : File.pathSeparator).append(new File(entry).getAbsolutePath());
        }
        return sb.toString();
    }
}
