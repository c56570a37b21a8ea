package dev.unroll.spark;

import dev.unroll.data.MnistDataset;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Loss;
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
 * The measurements of {@code docs/spark.md}: W1 (RNN 150 on MNIST rows, dense 10, Adam 0.001)
 * with a global batch of 4,096, trained by one process ({@code Trainer.fit}, all cores) and by
 * {@link SparkTrainer} in the session's local mode, the same epochs; steps per second of each and
 * the Spark step's profile. {@code SparkBench MNIST_DIR [EPOCHS] [CHUNKS] [--task-cpus N] [--pass-rows N] [--hidden 150] [--batch 4096]}, run by
 * {@code MAIN=dev.unroll.spark.SparkBench unroll-spark/run DIR ... --master local[2]}; one partition
 * per task slot (cores ÷ task cores).
 */
public final class SparkBench {
    private SparkBench() {
    }

    static Sequential w1() {
        return classifier(150);
    }

    static Sequential classifier(int hidden) {
        Rng rng = new Rng(0);
        return Sequential.of(Recurrent.builder(CellType.RNN, 28, hidden).returnSequences(false).rng(rng).build(), new Dense(hidden, 10, rng));
    }

    public static void main(String[] args) throws Exception {
        MnistDataset mnist = MnistDataset.load(Path.of(args[0]), 10);
        int epochs = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 2;
        int chunks = args.length > 2 && !args[2].startsWith("--") ? Integer.parseInt(args[2]) : 16;
        String master = "local[2]";
        String taskCpus = "1";
        int passRows = 128;
        int hidden = 150;
        int batch = 4096;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--master")) {
                master = args[i + 1];
            }
            if (args[i].equals("--task-cpus")) {
                taskCpus = args[i + 1];
            }
            if (args[i].equals("--pass-rows")) {
                passRows = Integer.parseInt(args[i + 1]);
            }
            if (args[i].equals("--hidden")) {
                hidden = Integer.parseInt(args[i + 1]);
            }
            if (args[i].equals("--batch")) {
                batch = Integer.parseInt(args[i + 1]);
            }
        }
        SequenceDataset train = SequenceDataset.classification(mnist.train().inputs(), mnist.train().labels());
        int n = train.size();

        Sequential local = classifier(hidden);
        Trainer one = Trainer.builder(local, Loss.softmaxCrossEntropy(), new Adam(local, 0.001)).batchSize(batch).epochs(epochs).seed(1).build();
        long t0 = System.nanoTime();
        one.fit(train, null);
        double oneSeconds = (System.nanoTime() - t0) / 1e9;
        long steps = one.state().iterations();

        SparkSession spark = SparkSession.builder().master(master).appName("unroll-bench").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.task.cpus", taskCpus).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, false);
        Tensor x = train.inputs();
        int[] labels = train.labels();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] pixels = new float[28 * 28];
            System.arraycopy(x.data(), x.offset() + i * 784, pixels, 0, 784);
            rows.add(RowFactory.create(pixels, labels[i]));
        }
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        Sequential distributed = classifier(hidden);
        Trainer t = Trainer.builder(distributed, Loss.softmaxCrossEntropy(), new Adam(distributed, 0.001)).batchSize(batch)
                .epochs(epochs).seed(1).build();
        int slots = Math.max(1, spark.sparkContext().defaultParallelism() / Integer.parseInt(taskCpus));
        SparkTrainer st = SparkTrainer.builder(spark, t).chunks(chunks).passRows(passRows).partitions(slots).build();
        TrainingData data = st.prepare(table, SequenceColumns.flat("pixels", 28).labels("label"));
        long t1 = System.nanoTime();
        st.fit(data, null);
        double sparkSeconds = (System.nanoTime() - t1) / 1e9;
        double worst = 0;
        for (int i = 0; i < local.flatParameters().size(); i++) {
            worst = Math.max(worst, Math.abs(local.flatParameters().values()[i] - distributed.flatParameters().values()[i]));
        }
        System.out.println("kernels: " + st.kernels().executors());
        System.out.println("profile: " + st.profile());
        System.out.printf(Locale.ROOT, "RNN %d (W1: 150), batch %d, %d rows, %d steps: one process %.2f steps/s, Spark %s (%d chunks, %d rows per pass, %s cores per task) "
                        + "%.2f steps/s, ratio %.3f, largest weight difference %.2e%n", hidden, batch, n, steps, steps / oneSeconds, master, chunks, passRows, taskCpus,
                steps / sparkSeconds, oneSeconds / sparkSeconds, worst);
        spark.stop();
    }
}
