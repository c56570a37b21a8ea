package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.SequenceDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch scoring: every row once, the same numbers as local prediction, one parse per JVM, Spark ML conventions. */
class ScoringTest {
    @TempDir
    Path dir;

    /** A digit classifier trained for a few steps on one machine. */
    private static Sequential trainedDigitModel(Dataset<Row> table) {
        Sequential model = SynchronousTrainingTest.digitModel();
        SynchronousTrainingTest.digitTrainer(model).fit(TrainingData.collect(table, SynchronousTrainingTest.DIGIT_COLUMNS), null);
        return model;
    }

    private static float[] floats(List<Float> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    @Test
    void everyRowScoredOnceAsLocalPredictionDoes() {
        SparkSession spark = TestSpark.session();
        Dataset<Row> train = Tables.digits(spark, 640, 10, 21);
        Sequential model = trainedDigitModel(train);
        int n = 3000;
        Dataset<Row> table = Tables.digits(spark, n, 10, 22).repartition(5);
        long parsesBefore = ScoringModels.parses();
        SequenceModel scorer = new SequenceModel(Checkpoint.toBytes(model, Map.of())).setInputCol("pixels").setLengthsCol("length")
                .setOutputCol("logits").setChunkSize(128);
        Dataset<Row> scored = scorer.transform(table).cache();
        assertEquals(n, scored.count());
        assertEquals(n, scored.select("id").distinct().count());
        assertEquals(1, ScoringModels.parses() - parsesBefore, "one parse in this JVM for every task");

        List<Row> sample = scored.orderBy("id").limit(40).collectAsList();
        SequenceDataset local = TrainingData.collect(table.orderBy("id").limit(40), SynchronousTrainingTest.DIGIT_COLUMNS);
        Tensor expected = model.predict(local.inputs(), local.lengths());
        for (int i = 0; i < sample.size(); i++) {
            assertEquals(i, sample.get(i).getLong(0));
            assertArrayEquals(expected.slice(0, i, i + 1).toArray(), floats(sample.get(i).getList(4)), "row " + i);
        }
        scored.unpersist();

        Dataset<Row> classes = scorer.copy(new org.apache.spark.ml.param.ParamMap()).setOutput("class").setOutputCol("digit").transform(table);
        double accuracy = classes.filter(functions.col("digit").equalTo(functions.col("label"))).count() / (double) n;
        assertTrue(accuracy > 0.5, "the trained model beats chance: " + accuracy);
    }

    @Test
    void flatSequencesGivePerStepForecastsOverTheirValidSteps() {
        SparkSession spark = TestSpark.session();
        Sequential forecaster = SynchronousTrainingTest.forecaster();
        Dataset<Row> table = Tables.series(spark, 50, 12, 23);
        List<Row> rows = new SequenceModel(Checkpoint.toBytes(forecaster, Map.of())).setInputCol("window").setFeaturesPerStep(1)
                .transform(table).orderBy("id").collectAsList();
        for (Row r : rows) {
            float[] window = floats(r.getList(1));
            List<scala.collection.Seq<Float>> forecast = r.getList(3);
            assertEquals(window.length, forecast.size(), "one forecast per valid step");
            Tensor alone = forecaster.predict(Tensor.of(window, 1, window.length, 1));
            for (int t = 0; t < window.length; t++) {
                assertEquals(alone.get(0, t, 0), forecast.get(t).apply(0), 1e-6f, "row " + r.getLong(0) + " step " + t + " of " + window.length);
            }
        }
    }

    @Test
    void badColumnsAreNamed() {
        SparkSession spark = TestSpark.session();
        SequenceModel scorer = new SequenceModel(Checkpoint.toBytes(SynchronousTrainingTest.forecaster(), Map.of()));
        Dataset<Row> table = Tables.series(spark, 5, 8, 24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.setInputCol("windows").transform(table));
        assertTrue(e.getMessage().contains("no column 'windows'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scorer.setInputCol("window").setFeaturesPerStep(0).transform(table));
        assertTrue(e.getMessage().contains("expected array<array<float>>, got array<float>"), e.getMessage());
    }

    @Test
    void anEstimatorInAPipelineFitsSavesAndLoads() throws Exception {
        SparkSession spark = TestSpark.session();
        Dataset<Row> train = Tables.digits(spark, 640, 10, 25);
        SequenceEstimator estimator = new SequenceEstimator().setInputCol("pixels").setLengthsCol("length").setLabelCol("label")
                .setInitialModel(SynchronousTrainingTest.digitModel()).setEpochs(4).setBatchSize(64).setLearningRate(0.005)
                .setClipNorm(1.0).setChunks(4).setOutput("class").setOutputCol("digit");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
        PipelineModel fitted = pipeline.fit(train);
        String path = dir.resolve("pipeline").toUri().toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        Dataset<Row> test = Tables.digits(spark, 300, 10, 26);
        List<Row> a = fitted.transform(test).orderBy("id").select("digit").collectAsList();
        List<Row> b = loaded.transform(test).orderBy("id").select("digit").collectAsList();
        assertEquals(a, b);
        long right = fitted.transform(test).filter(functions.col("digit").equalTo(functions.col("label"))).count();
        assertTrue(right > 90, "well above chance after 40 steps: " + right + " of 300");

        String estimatorPath = dir.resolve("estimator").toUri().toString();
        estimator.write().overwrite().save(estimatorPath);
        SequenceEstimator again = SequenceEstimator.load(estimatorPath);
        assertEquals(estimator.getOrDefault(estimator.initialModel()), again.getOrDefault(again.initialModel()));
        assertEquals(4, (int) (Integer) again.getOrDefault(again.epochs()));
    }
}
