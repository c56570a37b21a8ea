package dev.unroll.spark;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.optim.GradientClipping;
import dev.unroll.tensor.Rng;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.Trainer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The runnable job: trains a sequence classifier on a Parquet or CSV table and saves it as a Spark
 * ML model, or scores a table with a saved model. Runs under {@code spark-submit} (the session
 * comes from it) or, with {@code --master local[N]}, on its own ({@code unroll-spark/run}).
 *
 * <pre>
 *   train --table PATH [--format parquet|csv] --input COL [--features N] [--lengths COL] --label COL
 *         --model DIR [--cell rnn|lstm|gru] [--hidden 150] [--classes 10] [--epochs 10] [--batch 4096]
 *         [--lr 0.001] [--clip 0] [--chunks 16] [--seed 42] [--checkpoints URI --every 100]
 *   score --table PATH [--format ...] --model DIR --output PATH [--column prediction] [--classes-out]
 * </pre>
 *
 * A CSV table holds one sequence per row in its numeric columns (all but the label and lengths
 * columns), {@code --features} values per step. Prints progress to standard error and a last line
 * {@code key=value} to standard output.
 */
public final class UnrollSparkJob {
    private UnrollSparkJob() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length < 1 || !(args[0].equals("train") || args[0].equals("score"))) {
            System.err.println("usage: UnrollSparkJob train|score --table PATH ... (see the class documentation or docs/spark.md)");
            System.exit(2);
        }
        Map<String, String> o = options(args);
        SparkSession.Builder builder = SparkSession.builder().appName("unroll-" + args[0]);
        if (o.containsKey("master")) {
            builder.master(o.get("master"));
            if (o.get("master").startsWith("local")) {
                // On its own the job talks to itself only: keep Spark on loopback.
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        SparkSession spark = builder.getOrCreate();
        try {
            KernelProbe.Report kernels = KernelProbe.run(spark);
            System.err.println("executors: " + kernels.executors());
            if (kernels.warning() != null) {
                System.err.println("WARNING: " + kernels.warning());
            }
            if (args[0].equals("train")) {
                train(spark, o);
            } else {
                score(spark, o);
            }
        } finally {
            spark.stop();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option --name, got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(key, flag ? "true" : args[++i]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    /** The table, and for CSV its numeric columns gathered into one flat {@code array<float>} column. */
    private static Dataset<Row> table(SparkSession spark, Map<String, String> o, String input) {
        String path = required(o, "table");
        if (o.getOrDefault("format", "parquet").equals("parquet")) {
            return spark.read().parquet(path);
        }
        Dataset<Row> csv = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        java.util.List<org.apache.spark.sql.Column> values = new java.util.ArrayList<>();
        for (String c : csv.columns()) {
            if (!c.equals(o.get("label")) && !c.equals(o.get("lengths"))) {
                values.add(functions.col(c).cast("float"));
            }
        }
        return csv.withColumn(input, functions.array(values.toArray(new org.apache.spark.sql.Column[0])));
    }

    private static SequenceColumns columns(Map<String, String> o, String input) {
        int features = Integer.parseInt(o.getOrDefault("features", "0"));
        SequenceColumns c = features == 0 ? SequenceColumns.of(input) : SequenceColumns.flat(input, features);
        return o.containsKey("lengths") ? c.lengths(o.get("lengths")) : c;
    }

    private static void train(SparkSession spark, Map<String, String> o) throws java.io.IOException {
        String input = o.getOrDefault("input", "sequence");
        SequenceColumns columns = columns(o, input).labels(required(o, "label"));
        Dataset<Row> table = table(spark, o, input);
        int features = Integer.parseInt(o.getOrDefault("features", "0"));
        if (features == 0) {
            features = ((scala.collection.Seq<?>) table.select(input).first().getSeq(0).apply(0)).length();
        }
        int hidden = Integer.parseInt(o.getOrDefault("hidden", "150"));
        Rng rng = new Rng(Long.parseLong(o.getOrDefault("seed", "42")));
        Sequential model = Sequential.of(
                Recurrent.builder(CellType.parse(o.getOrDefault("cell", "rnn")), features, hidden).returnSequences(false).rng(rng).build(),
                new Dense(hidden, Integer.parseInt(o.getOrDefault("classes", "10")), rng));
        Adam adam = new Adam(model, Double.parseDouble(o.getOrDefault("lr", "0.001")));
        float clip = Float.parseFloat(o.getOrDefault("clip", "0"));
        if (clip > 0) {
            adam.clipping(GradientClipping.byGlobalNorm(clip));
        }
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), adam)
                .batchSize(Integer.parseInt(o.getOrDefault("batch", "4096"))).epochs(Integer.parseInt(o.getOrDefault("epochs", "10")))
                .seed(Long.parseLong(o.getOrDefault("seed", "42"))).metrics(Metric.accuracy()).build();
        SparkTrainer.Builder b = SparkTrainer.builder(spark, trainer).chunks(Integer.parseInt(o.getOrDefault("chunks", "16")))
                .probeKernels(false);
        if (o.containsKey("checkpoints")) {
            b.checkpoints(o.get("checkpoints"), Long.parseLong(o.getOrDefault("every", "100")));
        }
        SparkTrainer spark2 = b.build();
        long start = System.nanoTime();
        Progress last = null;
        for (Progress p : spark2.fit(table, columns, null)) {
            System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f, accuracy %.4f, %.1f s%n", p.epoch(), p.trainLoss(),
                    p.trainMetrics().get("accuracy"), p.seconds());
            last = p;
        }
        System.err.println("steps: " + spark2.profile());
        new SequenceModel(Checkpoint.toBytes(model, Map.of())).setInputCol(input).setFeaturesPerStep(Integer.parseInt(o.getOrDefault("features", "0")))
                .setLengthsCol(o.getOrDefault("lengths", "")).setOutput("class").write().overwrite().save(required(o, "model"));
        System.out.printf(Locale.ROOT, "train_accuracy=%s seconds=%.1f%n", last == null ? "NaN" : last.trainMetrics().get("accuracy"),
                (System.nanoTime() - start) / 1e9);
    }

    private static void score(SparkSession spark, Map<String, String> o) {
        SequenceModel model = SequenceModel.load(required(o, "model"));
        String input = model.getOrDefault(model.inputCol());
        model.setOutputCol(o.getOrDefault("column", "prediction"));
        long start = System.nanoTime();
        Dataset<Row> scored = model.transform(table(spark, o, input));
        scored.write().mode("overwrite").parquet(required(o, "output"));
        long rows = spark.read().parquet(o.get("output")).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "rows=%d seconds=%.1f rows_per_s=%.0f%n", rows, seconds, rows / seconds);
    }
}
