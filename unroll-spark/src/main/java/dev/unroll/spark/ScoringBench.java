package dev.unroll.spark;

import dev.unroll.autograd.Autograd;
import dev.unroll.data.MnistDataset;
import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The scoring measurement of {@code docs/spark.md}: {@code ROWS} rows (test images of an MNIST-format
 * set, repeated; id, flat 784-value sequence) made on the executors, scored by a W1-shaped
 * {@link SequenceModel} in the session's mode, reduced to a count, a distinct-id count and an id
 * sum (every row once); a sample compared with local {@code predict}; the executors' parse counts;
 * then the same rows scored by one process in chunks of 1,024 on all cores. {@code ScoringBench
 * MNIST_DIR [ROWS] --master local[2]}.
 */
public final class ScoringBench {
    private ScoringBench() {
    }

    private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    public static void main(String[] args) throws Exception {
        MnistDataset mnist = MnistDataset.load(Path.of(args[0]), 10);
        long rows = args.length > 1 && !args[1].startsWith("--") ? Long.parseLong(args[1]) : 1_000_000;
        String master = args[args.length - 2].equals("--master") ? args[args.length - 1] : "local[2]";
        Tensor images = mnist.test().inputs();
        int distinct = images.dim(0);
        float[] pixels = images.copy().data();
        Sequential model = SparkBench.w1();

        SparkSession spark = SparkSession.builder().master(master).appName("unroll-scoring").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[]> source = sc.broadcast(pixels);
        MapPartitionsFunction<Long, Row> make = ids -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Row next() {
                long id = ids.next();
                int image = (int) (id % distinct);
                return RowFactory.create(id, java.util.Arrays.copyOfRange(source.value(), image * 784, image * 784 + 784));
            }
        };
        Dataset<Row> table = spark.range(0, rows, 1, sc.defaultParallelism() * 4).as(Encoders.LONG()).mapPartitions(make, Encoders.row(SCHEMA));
        SequenceModel scorer = new SequenceModel(Checkpoint.toBytes(model, Map.of())).setInputCol("pixels").setFeaturesPerStep(28)
                .setOutputCol("logits");
        long parsesBefore = ScoringModels.parses();
        long t0 = System.nanoTime();
        Row totals = scorer.transform(table).agg(functions.count("*"), functions.countDistinct("id"), functions.sum("id"),
                functions.sum(functions.element_at(functions.col("logits"), 1))).first();
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        long parses = ScoringModels.parses() - parsesBefore;

        List<Row> sample = scorer.transform(table.filter(functions.col("id").lt(64))).orderBy("id").collectAsList();
        double worst = 0;
        Tensor expected = model.predict(images.slice(0, 0, 64));
        for (Row r : sample) {
            int i = (int) r.getLong(0);
            List<Float> logits = r.getList(2);
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(expected.get(i, c) - logits.get(c)));
            }
        }

        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        long t1 = System.nanoTime();
        double check = 0;
        try (var scope = Autograd.noGrad()) {
            for (long start = 0; start < rows; start += 1024) {
                int n = (int) Math.min(1024, rows - start);
                float[] x = new float[n * 784];
                for (int i = 0; i < n; i++) {
                    int image = (int) ((start + i) % distinct);
                    System.arraycopy(pixels, image * 784, x, i * 784, 784);
                }
                check += model.predict(Tensor.wrap(x, 0, n, 28, 28)).get(0, 0);
            }
        }
        double oneSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT, "rows %d, distinct ids %d, id sum %d (expected %d), model parses in this JVM %d%n", totals.getLong(0),
                totals.getLong(1), totals.getLong(2), rows * (rows - 1) / 2, parses);
        System.out.printf(Locale.ROOT, "sample of %d rows: largest difference to local predict %.2e%n", sample.size(), worst);
        System.out.printf(Locale.ROOT, "Spark %s: %.0f rows/s (%.1f s); one process: %.0f rows/s (%.1f s); ratio %.3f (check %.3f)%n", master,
                rows / sparkSeconds, sparkSeconds, rows / oneSeconds, oneSeconds, oneSeconds / sparkSeconds, check);
        spark.stop();
    }
}
