package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job end to end in local mode: train from Parquet, save the model, score a table to Parquet. */
class UnrollSparkJobTest {
    @TempDir
    Path dir;

    @Test
    void trainsFromParquetAndScoresATable() throws Exception {
        SparkSession spark = TestSpark.session();
        String train = dir.resolve("train.parquet").toString();
        String fresh = dir.resolve("fresh.parquet").toString();
        // Flat rows: the job's --features 10 reads them as 10 steps of 10 pixels.
        Tables.digits(spark, 512, 10, 51).select(functions.flatten(functions.col("pixels")).as("pixels"), functions.col("label"))
                .write().parquet(train);
        Tables.digits(spark, 300, 10, 52).select(functions.col("id"), functions.flatten(functions.col("pixels")).as("pixels"))
                .write().parquet(fresh);
        String model = dir.resolve("model").toString();
        String out = run("train", "--table", train, "--input", "pixels", "--features", "10", "--label", "label", "--hidden", "16",
                "--epochs", "3", "--batch", "64", "--lr", "0.005", "--chunks", "4", "--model", model, "--master", "local[2]");
        assertTrue(out.startsWith("train_accuracy="), out);
        String scored = dir.resolve("scored.parquet").toString();
        out = run("score", "--table", fresh, "--model", model, "--output", scored, "--column", "digit", "--master", "local[2]");
        assertTrue(out.startsWith("rows=300 "), out);
        assertEquals(300, TestSpark.session().read().parquet(scored).select("id", "digit").distinct().count());
    }

    /** Runs the job's main in this JVM (it stops the shared session; the next test starts another) and returns its stdout. */
    private static String run(String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            UnrollSparkJob.main(args);
        } finally {
            System.setOut(saved);
        }
        TestSpark.reset();
        return bytes.toString(StandardCharsets.UTF_8).trim();
    }
}
