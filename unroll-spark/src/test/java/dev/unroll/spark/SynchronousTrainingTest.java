package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
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
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Synchronous training is exact: the same bits with 1, 2, 4 and 7 partitions, and equal to
 * {@code Trainer.fit} on one machine to 1e-5 after 50 Adam steps with global-norm clipping and
 * sequence lengths, for a W1-shaped classifier of digit images and an LSTM forecaster.
 */
class SynchronousTrainingTest {
    static final SequenceColumns DIGIT_COLUMNS = SequenceColumns.of("pixels").lengths("length").labels("label");
    static final SequenceColumns SERIES_COLUMNS = SequenceColumns.flat("window", 1).flatTargets("next", 1);

    /** W1's shape at a test's size: image rows as steps → RNN → final state → dense 10. */
    static Sequential digitModel() {
        Rng rng = new Rng(11);
        return Sequential.of(Recurrent.builder(CellType.RNN, 10, 16).returnSequences(false).rng(rng).build(), new Dense(16, 10, rng));
    }

    static Sequential forecaster() {
        Rng rng = new Rng(12);
        return Sequential.of(Recurrent.builder(CellType.LSTM, 1, 8).activation(Activation.TANH).rng(rng).build(), new Dense(8, 1, rng));
    }

    /** 640 rows in batches of 64: 5 epochs are 50 Adam steps. */
    static Trainer digitTrainer(Sequential model) {
        return Trainer.builder(model, Loss.softmaxCrossEntropy(),
                        new Adam(model, 0.005).clipping(GradientClipping.byGlobalNorm(1f)))
                .batchSize(64).epochs(5).seed(3).metrics(Metric.accuracy()).build();
    }

    /** 320 windows in batches of 32: 5 epochs are 50 steps. */
    static Trainer forecastTrainer(Sequential model) {
        return Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01).clipping(GradientClipping.byGlobalNorm(0.5f)))
                .batchSize(32).epochs(5).seed(4).metrics(Metric.meanSquaredError()).build();
    }

    private static float[] trainOnSpark(Supplier<Sequential> model, java.util.function.Function<Sequential, Trainer> trainer,
                                        Dataset<Row> table, SequenceColumns columns, int partitions, List<Progress> history) {
        Sequential m = model.get();
        SparkTrainer spark = SparkTrainer.builder(TestSpark.session(), trainer.apply(m)).chunks(8).partitions(partitions)
                .probeKernels(false).build();
        history.addAll(spark.fit(table, columns, null));
        return m.flatParameters().values();
    }

    private static void exactWhateverThePartitioning(Supplier<Sequential> model, java.util.function.Function<Sequential, Trainer> trainer,
                                                     Dataset<Row> table, SequenceColumns columns) {
        SequenceDataset local = TrainingData.collect(table, columns);
        Sequential reference = model.get();
        List<Progress> expected = trainer.apply(reference).fit(local, null);
        assertEquals(50, expected.get(expected.size() - 1).iteration());

        List<Progress> first = new java.util.ArrayList<>();
        float[] bits = trainOnSpark(model, trainer, table, columns, 1, first);
        for (int partitions : new int[] {2, 4, 7}) {
            List<Progress> h = new java.util.ArrayList<>();
            assertArrayEquals(bits, trainOnSpark(model, trainer, table, columns, partitions, h), partitions + " partitions");
            assertEquals(first.stream().map(Progress::trainLoss).toList(), h.stream().map(Progress::trainLoss).toList());
        }
        float[] ref = reference.flatParameters().values();
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(ref[i] - bits[i]));
        }
        assertTrue(worst < 1e-5, "largest difference to the one-machine fit: " + worst);
        assertEquals(expected.get(4).trainLoss(), first.get(4).trainLoss(), 1e-5);
        assertTrue(first.get(4).trainLoss() < first.get(0).trainLoss(), "training lowers the loss: " + first);
    }

    @Test
    void digitClassifierSameBitsOnAnyPartitioningAndTheOneMachineResult() {
        SparkSession spark = TestSpark.session();
        exactWhateverThePartitioning(SynchronousTrainingTest::digitModel, SynchronousTrainingTest::digitTrainer,
                Tables.digits(spark, 640, 10, 1), DIGIT_COLUMNS);
    }

    @Test
    void lstmForecasterSameBitsOnAnyPartitioningAndTheOneMachineResult() {
        SparkSession spark = TestSpark.session();
        exactWhateverThePartitioning(SynchronousTrainingTest::forecaster, SynchronousTrainingTest::forecastTrainer,
                Tables.series(spark, 320, 16, 2), SERIES_COLUMNS);
    }
}
