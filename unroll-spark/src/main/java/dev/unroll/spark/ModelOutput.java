package dev.unroll.spark;

import dev.unroll.tensor.Tensor;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * How a model's output becomes a column: {@code [rows, outputs]} (one prediction per sequence) is
 * {@code array<float>}, or with {@code classes} the index of the largest output ({@code int});
 * {@code [rows, steps, outputs]} (one per step) is {@code array<array<float>>}, or
 * {@code array<int>} of per-step classes, over the sequence's valid steps.
 */
final class ModelOutput {
    private ModelOutput() {
    }

    static DataType type(int rank, boolean classes) {
        if (rank == 2) {
            return classes ? DataTypes.IntegerType : DataTypes.createArrayType(DataTypes.FloatType, false);
        }
        if (rank == 3) {
            return DataTypes.createArrayType(classes ? DataTypes.IntegerType : DataTypes.createArrayType(DataTypes.FloatType, false), false);
        }
        throw new IllegalArgumentException("model output: expected [rows, outputs] or [rows, steps, outputs], got rank " + rank);
    }

    /** Row {@code i} of {@code y} as the column's value; per-step outputs end at the row's {@code length}. */
    static Object value(Tensor y, int i, boolean classes, int length) {
        int outputs = y.dim(y.rank() - 1);
        float[] d = y.data();
        if (y.rank() == 2) {
            int at = y.offset() + i * outputs;
            return classes ? argmax(d, at, outputs) : java.util.Arrays.copyOfRange(d, at, at + outputs);
        }
        int steps = y.dim(1);
        Object[] perStep = new Object[Math.min(steps, length)];
        for (int t = 0; t < perStep.length; t++) {
            int at = y.offset() + (i * steps + t) * outputs;
            perStep[t] = classes ? argmax(d, at, outputs) : java.util.Arrays.copyOfRange(d, at, at + outputs);
        }
        return perStep;
    }

    private static int argmax(float[] d, int at, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (d[at + c] > d[at + best]) {
                best = c;
            }
        }
        return best;
    }
}
