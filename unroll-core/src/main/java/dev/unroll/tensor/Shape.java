package dev.unroll.tensor;

import java.util.Arrays;

/**
 * Static helpers for shapes, which Unroll keeps as plain {@code int[]} (row-major, outermost
 * axis first). Every check throws a {@link ShapeException} naming the expected and actual shape.
 */
public final class Shape {
    private Shape() {
    }

    /** Number of elements of a tensor of this shape (1 for a scalar, shape {@code []}). */
    public static int size(int... shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("negative dimension in shape " + toString(shape));
            }
            if (d == 0) {
                return 0; // however large the other dimensions: [2^29, 128, 0] holds nothing
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new ShapeException("shape " + toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** {@code [2, 3, 4]}. */
    public static String toString(int... shape) {
        return Arrays.toString(shape);
    }

    /** Normalizes a possibly negative axis (−1 is the last) against a rank, or throws. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** Product of the dimensions before {@code axis}: how many blocks the axis repeats in. */
    public static int outer(int[] shape, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}: the distance between neighbours along it. */
    public static int inner(int[] shape, int axis) {
        int n = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
        }
        return s;
    }

    /**
     * The shape two operands broadcast to (NumPy rules: align trailing axes; a dimension of 1
     * stretches), or a {@link ShapeException} naming both shapes.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + toString(a) + " and " + toString(b)
                        + " do not broadcast (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Throws unless {@code actual} equals {@code expected}. */
    public static void requireEqual(String what, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new ShapeException(what + ": expected shape " + toString(expected) + ", got " + toString(actual));
        }
    }

    /** Throws unless the shape has the given rank; {@code legend} names the axes, e.g. "[batch, time, features]". */
    public static void requireRank(String what, int[] shape, int rank, String legend) {
        if (shape.length != rank) {
            throw new ShapeException(what + ": expected rank " + rank + " " + legend + ", got shape " + toString(shape));
        }
    }
}
