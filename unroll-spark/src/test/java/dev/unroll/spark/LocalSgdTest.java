package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.optim.Sgd;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Local SGD: one worker and one local step is plain SGD; more workers are deterministic and learn. */
class LocalSgdTest {

    private static List<Progress> train(Sequential model, Dataset<Row> table, int partitions, LocalSgd settings, int batch) {
        Trainer outer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Sgd(model, 1.0)).batchSize(batch).epochs(3).seed(6)
                .metrics(Metric.accuracy()).build();
        return SparkTrainer.builder(TestSpark.session(), outer).chunks(4).partitions(partitions).probeKernels(false).localSgd(settings)
                .build().fit(table, SynchronousTrainingTest.DIGIT_COLUMNS, null);
    }

    @Test
    void oneWorkerTakingOneLocalStepIsPlainSgd() {
        Dataset<Row> table = Tables.digits(TestSpark.session(), 320, 10, 41);
        Sequential averaged = SynchronousTrainingTest.digitModel();
        train(averaged, table, 1, new LocalSgd(1, m -> new Sgd(m, 0.1)), 64);
        Sequential plain = SynchronousTrainingTest.digitModel();
        SequenceDataset local = TrainingData.collect(table, SynchronousTrainingTest.DIGIT_COLUMNS);
        Trainer.builder(plain, Loss.softmaxCrossEntropy(), new Sgd(plain, 0.1)).batchSize(64).epochs(3).seed(6).build().fit(local, null);
        float[] a = plain.flatParameters().values();
        float[] b = averaged.flatParameters().values();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f, "parameter " + i);
        }
    }

    @Test
    void severalWorkersAreDeterministicAndLearn() {
        Dataset<Row> table = Tables.digits(TestSpark.session(), 640, 10, 42);
        LocalSgd settings = new LocalSgd(4, m -> new Adam(m, 0.01));
        Sequential first = SynchronousTrainingTest.digitModel();
        List<Progress> h = train(first, table, 2, settings, 256);
        Sequential second = SynchronousTrainingTest.digitModel();
        train(second, table, 2, settings, 256);
        assertArrayEquals(first.flatParameters().values(), second.flatParameters().values());
        // 3 epochs of 3 rounds, each round 4 local steps of ~32 rows on each of 2 workers.
        assertEquals(9, h.get(2).iteration());
        assertTrue(h.get(2).trainMetrics().get("accuracy") > 0.3, "learns: " + h);
    }
}
