package dev.unroll.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Where a table keeps its sequences: a sequence column, either {@code array<array<float>>} (steps
 * of features) or {@code array<float>} with a declared number of features per step (steps laid end
 * to end); optionally a lengths column, and for training a label column (one class per sequence)
 * or a target column (per-step targets, nested or flat like the inputs). Any numeric element type
 * is read as float.
 *
 * <p>Sequences of different lengths need no lengths column: each sequence's length is its number
 * of steps, and shorter ones are padded. A lengths column says how many leading steps are valid.
 */
public final class SequenceColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int inputFeatures;
    private final String lengths;
    private final String labels;
    private final String targets;
    private final int targetFeatures;

    private SequenceColumns(String input, int inputFeatures, String lengths, String labels, String targets, int targetFeatures) {
        this.input = input;
        this.inputFeatures = inputFeatures;
        this.lengths = lengths;
        this.labels = labels;
        this.targets = targets;
        this.targetFeatures = targetFeatures;
    }

    /** Sequences in column {@code input}, {@code array<array<float>>}. */
    public static SequenceColumns of(String input) {
        return new SequenceColumns(input, 0, null, null, null, 0);
    }

    /** Sequences in column {@code input} as {@code array<float>} of {@code featuresPerStep} values per step. */
    public static SequenceColumns flat(String input, int featuresPerStep) {
        if (featuresPerStep < 1) {
            throw new IllegalArgumentException("features per step must be at least 1, got " + featuresPerStep);
        }
        return new SequenceColumns(input, featuresPerStep, null, null, null, 0);
    }

    /** Valid steps per sequence in an integer column. */
    public SequenceColumns lengths(String column) {
        return new SequenceColumns(input, inputFeatures, column, labels, targets, targetFeatures);
    }

    /** One class per sequence in an integer column. */
    public SequenceColumns labels(String column) {
        return new SequenceColumns(input, inputFeatures, lengths, column, null, 0);
    }

    /** Per-step targets, {@code array<array<float>>}. */
    public SequenceColumns targets(String column) {
        return new SequenceColumns(input, inputFeatures, lengths, null, column, 0);
    }

    /** Per-step targets as {@code array<float>} of {@code featuresPerStep} values per step. */
    public SequenceColumns flatTargets(String column, int featuresPerStep) {
        if (featuresPerStep < 1) {
            throw new IllegalArgumentException("target features per step must be at least 1, got " + featuresPerStep);
        }
        return new SequenceColumns(input, inputFeatures, lengths, null, column, featuresPerStep);
    }

    public String input() {
        return input;
    }

    /** Features per step of a flat sequence column, 0 for a nested one. */
    public int inputFeatures() {
        return inputFeatures;
    }

    /** The lengths column, or null. */
    public String lengthsColumn() {
        return lengths;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public boolean hasTargets() {
        return targets != null;
    }

    /**
     * Checks that the schema has the columns with usable types (arrays of numbers, nested as
     * declared; integer lengths and labels), naming what it expected and what it found.
     */
    public void check(StructType schema) {
        checkArray(schema, input, inputFeatures == 0 ? 2 : 1);
        if (lengths != null) {
            checkInteger(schema, lengths);
        }
        if (labels != null) {
            checkInteger(schema, labels);
        }
        if (targets != null) {
            checkArray(schema, targets, targetFeatures == 0 ? 2 : 1);
        }
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "'; the table has " + String.join(", ", schema.fieldNames()));
    }

    private static void checkArray(StructType schema, String name, int depth) {
        DataType t = field(schema, name).dataType();
        DataType element = t;
        for (int d = 0; d < depth; d++) {
            if (!(element instanceof ArrayType a)) {
                throw new IllegalArgumentException("column '" + name + "': expected " + (depth == 2 ? "array<array<float>>" : "array<float>")
                        + ", got " + t.simpleString());
            }
            element = a.elementType();
        }
        if (!(element instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + name + "': expected numbers, got " + t.simpleString());
        }
    }

    private static void checkInteger(StructType schema, String name) {
        DataType t = field(schema, name).dataType();
        String s = t.typeName();
        if (!(s.equals("integer") || s.equals("long") || s.equals("short") || s.equals("byte"))) {
            throw new IllegalArgumentException("column '" + name + "': expected an integer type, got " + t.simpleString());
        }
    }

    /** The columns' positions in a schema, found once per partition. */
    Reader reader(StructType schema) {
        check(schema);
        return new Reader(schema.fieldIndex(input), lengths == null ? -1 : schema.fieldIndex(lengths),
                labels == null ? -1 : schema.fieldIndex(labels), targets == null ? -1 : schema.fieldIndex(targets));
    }

    /** Reads rows of one schema into {@link Example}s. */
    final class Reader {
        private final int inputAt;
        private final int lengthsAt;
        private final int labelsAt;
        private final int targetsAt;

        private Reader(int inputAt, int lengthsAt, int labelsAt, int targetsAt) {
            this.inputAt = inputAt;
            this.lengthsAt = lengthsAt;
            this.labelsAt = labelsAt;
            this.targetsAt = targetsAt;
        }

        Example read(Row row) {
            Steps x = steps(row, inputAt, input, inputFeatures);
            int length = x.steps;
            if (lengthsAt >= 0) {
                length = requireValue(row, lengthsAt, lengths).intValue();
                if (length < 1 || length > x.steps) {
                    throw new IllegalArgumentException("column '" + lengths + "': length " + length + " outside [1, " + x.steps
                            + "] (the sequence has " + x.steps + " steps)");
                }
            }
            int label = labelsAt >= 0 ? requireValue(row, labelsAt, labels).intValue() : -1;
            if (labelsAt >= 0 && label < 0) {
                throw new IllegalArgumentException("column '" + labels + "': labels must not be negative, got " + label);
            }
            Steps y = targetsAt >= 0 ? steps(row, targetsAt, targets, targetFeatures) : null;
            return new Example(x.values, x.steps, x.features, length, label,
                    y == null ? null : y.values, y == null ? 0 : y.steps, y == null ? 0 : y.features);
        }
    }

    private static Number requireValue(Row row, int at, String column) {
        if (row.isNullAt(at)) {
            throw new IllegalArgumentException("column '" + column + "': null value");
        }
        return (Number) row.get(at);
    }

    private record Steps(float[] values, int steps, int features) {
    }

    /**
     * A nested or flat array column as steps × features, row-major. Spark hands arrays over as
     * Scala sequences, or as the Java arrays or lists a previous stage put in its rows.
     */
    private static Steps steps(Row row, int at, String column, int declaredFeatures) {
        if (row.isNullAt(at)) {
            throw new IllegalArgumentException("column '" + column + "': null sequence");
        }
        Object outer = row.get(at);
        int n = length(outer, column);
        if (declaredFeatures > 0) {
            if (n == 0 || n % declaredFeatures != 0) {
                throw new IllegalArgumentException("column '" + column + "': expected a positive multiple of " + declaredFeatures
                        + " values (" + declaredFeatures + " features per step), got " + n);
            }
            float[] values = new float[n];
            copy(outer, values, 0, column);
            return new Steps(values, n / declaredFeatures, declaredFeatures);
        }
        if (n == 0) {
            throw new IllegalArgumentException("column '" + column + "': empty sequence");
        }
        int features = -1;
        float[] values = null;
        for (int t = 0; t < n; t++) {
            Object step = element(outer, t);
            if (step == null) {
                throw new IllegalArgumentException("column '" + column + "': null step " + t);
            }
            int f = length(step, column);
            if (features < 0) {
                features = f;
                if (features == 0) {
                    throw new IllegalArgumentException("column '" + column + "': steps without features");
                }
                values = new float[n * features];
            } else if (f != features) {
                throw new IllegalArgumentException("column '" + column + "': step " + t + " has " + f + " features, step 0 has " + features);
            }
            copy(step, values, t * features, column);
        }
        return new Steps(values, n, features);
    }

    private static int length(Object array, String column) {
        if (array instanceof Seq<?> s) {
            return s.length();
        }
        if (array instanceof java.util.List<?> l) {
            return l.size();
        }
        if (array.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(array);
        }
        throw new IllegalArgumentException("column '" + column + "': expected an array, got " + array.getClass().getName());
    }

    private static Object element(Object array, int i) {
        if (array instanceof Seq<?> s) {
            return s.apply(i);
        }
        if (array instanceof java.util.List<?> l) {
            return l.get(i);
        }
        return java.lang.reflect.Array.get(array, i);
    }

    /** The numbers of a flat array into {@code into} from {@code at}; primitive float arrays in one copy. */
    private static void copy(Object array, float[] into, int at, String column) {
        if (array instanceof float[] f) {
            System.arraycopy(f, 0, into, at, f.length);
            return;
        }
        int n = length(array, column);
        for (int i = 0; i < n; i++) {
            into[at + i] = number(element(array, i), column);
        }
    }

    private static float number(Object v, String column) {
        if (v == null) {
            throw new IllegalArgumentException("column '" + column + "': null value inside a sequence");
        }
        return ((Number) v).floatValue();
    }
}
