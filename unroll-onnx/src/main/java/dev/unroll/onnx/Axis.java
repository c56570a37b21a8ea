package dev.unroll.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * What one axis of a value means, as the importer follows the model's data through the graph: the
 * batch, the time steps, the features, or a group — the directions of a recurrent node's outputs,
 * a stack of final states, or a unit axis that {@code Unsqueeze} inserted.
 *
 * <p>Layout operators only move, merge or drop axes; the importer checks that every one keeps the
 * meaning of the data (e.g. that a {@code Reshape} joins a node's directions in front of its
 * features, forward then backward, which is how Unroll concatenates them).
 *
 * @param kind what the axis indexes
 * @param size its size; for batch and time the size the graph fixes, or -1 when it is free
 */
record Axis(Kind kind, long size) {
    /** Deepest rank the importer follows (real models use 4 at most). */
    static final int MAX_RANK = 16;

    enum Kind {
        BATCH,
        TIME,
        FEATURES,
        GROUP
    }

    static Axis features(long n) {
        return new Axis(Kind.FEATURES, n);
    }

    static Axis group(long n) {
        return new Axis(Kind.GROUP, n);
    }

    /** True for a group of size 1, which {@code Squeeze} may drop. */
    boolean isUnit() {
        return kind == Kind.GROUP && size == 1;
    }

    /** {@code [time, batch, features(3)]}-style description. */
    static String describe(List<Axis> axes) {
        List<String> parts = new ArrayList<>();
        for (Axis a : axes) {
            parts.add(switch (a.kind) {
                case BATCH -> "batch";
                case TIME -> "time";
                case FEATURES -> "features(" + a.size + ")";
                case GROUP -> "group(" + a.size + ")";
            });
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /** The axis an ONNX {@code axis} attribute names: negative values count from the end. */
    static int resolve(long axis, int rank, String what) throws OnnxException {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new OnnxException(what + ": axis " + axis + " is outside a value of rank " + rank);
        }
        return (int) a;
    }

    /** {@code axes} permuted: result axis {@code i} is input axis {@code perm[i]} (default: reversed). */
    static <T> List<T> permute(List<T> axes, long[] perm, String what) throws OnnxException {
        int n = axes.size();
        if (perm == null) {
            perm = new long[n];
            for (int i = 0; i < n; i++) {
                perm[i] = n - 1 - i;
            }
        }
        if (perm.length != n) {
            throw new OnnxException(what + ": permutation " + java.util.Arrays.toString(perm) + " for a value of rank " + n);
        }
        boolean[] seen = new boolean[n];
        List<T> out = new ArrayList<>(n);
        for (long p : perm) {
            if (p < 0 || p >= n || seen[(int) p]) {
                throw new OnnxException(what + ": " + java.util.Arrays.toString(perm) + " is not a permutation of " + n + " axes");
            }
            seen[(int) p] = true;
            out.add(axes.get((int) p));
        }
        return out;
    }

    /** {@code Unsqueeze}: {@code unit} inserted at each of {@code positions} (of the result). */
    static <T> List<T> insert(List<T> axes, long[] positions, T unit, String what) throws OnnxException {
        int rank = axes.size() + positions.length;
        if (rank > MAX_RANK) {
            throw new OnnxException(what + ": rank " + rank + " exceeds the " + MAX_RANK + " the importer follows");
        }
        boolean[] inserted = positions(positions, rank, what);
        List<T> out = new ArrayList<>(rank);
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(inserted[i] ? unit : axes.get(next++));
        }
        return out;
    }

    /** Axis numbers (of Squeeze, Unsqueeze) as flags over {@code rank} axes, resolved and checked to be distinct. */
    static boolean[] positions(long[] positions, int rank, String what) throws OnnxException {
        boolean[] removed = new boolean[rank];
        for (long p : positions) {
            int at = resolve(p, rank, what);
            if (removed[at]) {
                throw new OnnxException(what + ": axis " + p + " is given twice");
            }
            removed[at] = true;
        }
        return removed;
    }

    /**
     * Numpy broadcasting of two axis lists, aligned at the end: a unit axis takes the other's axis;
     * otherwise both must mean the same. Returns null if they do not broadcast.
     */
    static List<Axis> broadcast(List<Axis> a, List<Axis> b) {
        int rank = Math.max(a.size(), b.size());
        List<Axis> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.size());
            int ib = i - (rank - b.size());
            Axis x = ia >= 0 ? a.get(ia) : null;
            Axis y = ib >= 0 ? b.get(ib) : null;
            if (x == null || x.isUnit()) {
                out.add(y != null ? y : x);
            } else if (y == null || y.isUnit() || x.equals(y)) {
                out.add(x);
            } else {
                return null;
            }
        }
        return out;
    }
}
