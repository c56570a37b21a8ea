package dev.unroll.spark;

import dev.unroll.data.TimeSeries;
import dev.unroll.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small generated tables for the tests: digit-like images as sequences, and windows of a series. */
final class Tables {
    static final StructType DIGITS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), false)
            .add("length", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false);

    static final StructType SERIES = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("window", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("next", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private Tables() {
    }

    /**
     * {@code n} images of {@code side × side} pixels, read as {@code side} steps of {@code side}
     * features: class c is a bright bar at row 2c mod side with noise, so a small RNN learns it.
     * Lengths from {@code side/2} to {@code side} (the rows an image shows).
     */
    static List<Row> digitRows(int n, int side, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(10);
            float[][] image = new float[side][side];
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    image[r][c] = 0.3f * rng.nextFloat() + (r == (2 * label) % side ? 0.7f : 0f) + (c == label % side ? 0.3f : 0f);
                }
            }
            rows.add(RowFactory.create((long) i, image, side / 2 + rng.nextInt(side - side / 2 + 1), label));
        }
        return rows;
    }

    static Dataset<Row> digits(SparkSession spark, int n, int side, long seed) {
        return spark.createDataFrame(digitRows(n, side, seed), DIGITS);
    }

    /**
     * {@code n} windows of the seed's series, of 6 to {@code steps} steps (so they need lengths),
     * each with the next value at every step as its target.
     */
    static Dataset<Row> series(SparkSession spark, int n, int steps, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = 6 + rng.nextInt(steps - 5);
            float[] values = TimeSeries.SEED.values(rng.nextDouble() * 25, length + 1);
            float[] window = java.util.Arrays.copyOfRange(values, 0, length);
            float[] next = java.util.Arrays.copyOfRange(values, 1, length + 1);
            rows.add(RowFactory.create((long) i, window, next));
        }
        return spark.createDataFrame(rows, SERIES);
    }
}
