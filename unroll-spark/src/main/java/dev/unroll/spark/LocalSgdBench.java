package dev.unroll.spark;

import dev.unroll.data.MnistDataset;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.optim.Sgd;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The local-SGD measurement of {@code docs/spark.md}: W1 on an MNIST-format set, the same epochs
 * and the same examples per gradient evaluation, trained synchronously (Adam 0.001, batch 512) and
 * by local SGD ({@code k} local Adam steps of 256 rows on each partition per round, averaged with
 * an outer SGD of rate 1); test accuracy after every epoch and wall time of each.
 * {@code LocalSgdBench MNIST_DIR EPOCHS K --master local[2]}.
 */
public final class LocalSgdBench {
    private LocalSgdBench() {
    }

    public static void main(String[] args) {
        MnistDataset mnist;
        try {
            mnist = MnistDataset.load(Path.of(args[0]), 10);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int epochs = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        String master = args[args.length - 2].equals("--master") ? args[args.length - 1] : "local[2]";
        SequenceDataset test = SequenceDataset.classification(mnist.test().inputs(), mnist.test().labels());
        SparkSession spark = SparkSession.builder().master(master).appName("unroll-local-sgd").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        int workers = spark.sparkContext().defaultParallelism();
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, false);
        Tensor x = mnist.train().inputs();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.dim(0); i++) {
            float[] p = new float[784];
            System.arraycopy(x.data(), x.offset() + i * 784, p, 0, 784);
            rows.add(RowFactory.create(p, mnist.train().labels()[i]));
        }
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        SequenceColumns columns = SequenceColumns.flat("pixels", 28).labels("label");

        Sequential sync = SparkBench.w1();
        Trainer s = Trainer.builder(sync, Loss.softmaxCrossEntropy(), new Adam(sync, 0.001)).batchSize(512).epochs(epochs).seed(1)
                .metrics(Metric.accuracy()).build();
        SparkTrainer st = SparkTrainer.builder(spark, s).chunks(2 * workers).partitions(workers).build();
        report("synchronous, batch 512", st.fit(table, columns, test));

        Sequential averaged = SparkBench.w1();
        Trainer outer = Trainer.builder(averaged, Loss.softmaxCrossEntropy(), new Sgd(averaged, 1.0)).batchSize(256 * k * workers)
                .epochs(epochs).seed(1).metrics(Metric.accuracy()).build();
        SparkTrainer lt = SparkTrainer.builder(spark, outer).chunks(2 * workers).partitions(workers)
                .localSgd(new LocalSgd(k, m -> new Adam(m, 0.001))).build();
        report("local SGD, " + workers + " workers x " + k + " steps of 256", lt.fit(table, columns, test));
        spark.stop();
    }

    private static void report(String what, List<Progress> history) {
        double seconds = 0;
        for (Progress p : history) {
            seconds += p.seconds();
            System.out.printf(Locale.ROOT, "%s: epoch %d, %d updates, test accuracy %.4f, %.1f s%n", what, p.epoch(), p.iteration(),
                    p.validationMetrics().get("accuracy"), p.seconds());
        }
        System.out.printf(Locale.ROOT, "%s: %.1f s in all%n", what, seconds);
    }
}
