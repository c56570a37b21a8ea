package dev.unroll.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dense float32 tensor: row-major, contiguous, {@code size()} elements stored in
 * {@code data()[offset() .. offset() + size())}.
 *
 * <p>Shape-only operations that keep the row-major order ({@link #reshape}) return <em>views</em>
 * sharing the storage; everything that reorders elements ({@link #permute}, {@link #slice},
 * {@link #stack}, {@link #concat}) returns a new contiguous tensor. Several tensors may view one
 * array at different offsets: that is how a model keeps all its parameters in one flat buffer.
 *
 * <p>The storage is exposed ({@link #data()}, {@link #offset()}) for the kernels, which work on
 * arrays, offsets and leading dimensions. Every shape mismatch throws a {@link ShapeException}
 * naming the expected and the actual shape.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.size = Shape.size(shape);
        if (offset < 0 || offset + size > data.length) {
            throw new ShapeException("a view of shape " + Shape.toString(shape) + " at offset " + offset
                    + " does not fit in storage of " + data.length + " elements");
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape;
    }

    // ------------------------------------------------------------------ creation

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Shape.size(s)], 0, s);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        t.fill(value);
        return t;
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, new int[0]);
    }

    /** A copy of {@code values} with the given shape. */
    public static Tensor of(float[] values, int... shape) {
        int[] s = shape.clone();
        if (Shape.size(s) != values.length) {
            throw new ShapeException("of: " + values.length + " values do not fill shape " + Shape.toString(s)
                    + " (" + Shape.size(s) + " elements)");
        }
        return new Tensor(values.clone(), 0, s);
    }

    /** A matrix from rows, which must all have the same length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new ShapeException("of: row " + i + " has " + rows[i].length + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, 0, new int[] {rows.length, cols});
    }

    /** A rank-3 tensor from nested arrays, e.g. {@code [batch][time][features]}. */
    public static Tensor of(float[][][] blocks) {
        List<Tensor> matrices = new ArrayList<>(blocks.length);
        for (float[][] block : blocks) {
            matrices.add(of(block));
        }
        if (matrices.isEmpty()) {
            return zeros(0, 0, 0);
        }
        return stack(0, matrices);
    }

    /**
     * A tensor viewing {@code data[offset .. offset + size(shape))} without copying: writes through
     * either are seen by both.
     */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape.clone());
    }

    /** Values drawn from N(mean, std²). */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    /** Values drawn from N(0, 1). */
    public static Tensor randn(Rng rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    /** Values drawn uniformly from [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = low + (high - low) * rng.nextFloat();
        }
        return t;
    }

    // ------------------------------------------------------------------ queries

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** Backing storage (shared with views); the elements start at {@link #offset()}. */
    public float[] data() {
        return data;
    }

    /** Index in {@link #data()} of the first element. */
    public int offset() {
        return offset;
    }

    /** True when {@code other} has exactly this shape. */
    public boolean hasShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** The element at a multi-index (one index per axis). */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** Sets the element at a multi-index. */
    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new ShapeException("index " + Arrays.toString(index) + " has " + index.length
                    + " axes, tensor has shape " + Shape.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + Shape.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return offset + flat;
    }

    /** A fresh array holding the elements in row-major order. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** A contiguous copy with its own storage. */
    public Tensor copy() {
        return new Tensor(toArray(), 0, shape.clone());
    }

    // ------------------------------------------------------------------ in-place writes

    public Tensor fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
        return this;
    }

    /** Copies {@code source}'s elements into this tensor; shapes must match. */
    public Tensor copyFrom(Tensor source) {
        Shape.requireEqual("copyFrom", shape, source.shape);
        System.arraycopy(source.data, source.offset, data, offset, size);
        return this;
    }

    // ------------------------------------------------------------------ shape operations

    /**
     * A view with another shape holding the same elements in the same order. One dimension may be
     * −1 and is then inferred.
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (inferred >= 0) {
                    throw new ShapeException("reshape " + Shape.toString(shape) + " to " + Shape.toString(newShape)
                            + ": only one dimension may be -1");
                }
                inferred = i;
            } else if (s[i] < 0) {
                throw new ShapeException("reshape to " + Shape.toString(newShape) + ": negative dimension");
            } else {
                known *= s[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ShapeException("reshape " + Shape.toString(shape) + " (" + size + " elements) to "
                        + Shape.toString(newShape) + ": cannot infer the -1 dimension");
            }
            s[inferred] = (int) (size / known);
        } else if (known != size) {
            throw new ShapeException("reshape " + Shape.toString(shape) + " (" + size + " elements) to "
                    + Shape.toString(newShape) + " (" + known + " elements)");
        }
        return new Tensor(data, offset, s);
    }

    /**
     * A copy with the axes reordered: axis {@code i} of the result is axis {@code axes[i]} of this
     * tensor. {@code permute(1, 0, 2)} turns {@code [batch, time, features]} into time-major.
     */
    public Tensor permute(int... axes) {
        int rank = shape.length;
        if (axes.length != rank) {
            throw new ShapeException("permute " + Arrays.toString(axes) + ": expected " + rank
                    + " axes for shape " + Shape.toString(shape));
        }
        boolean[] seen = new boolean[rank];
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            int a = Shape.axis(axes[i], rank);
            if (seen[a]) {
                throw new ShapeException("permute " + Arrays.toString(axes) + ": axis " + a + " repeated");
            }
            seen[a] = true;
            outShape[i] = shape[a];
        }
        int[] inStrides = Shape.strides(shape);
        int[] strideOfOut = new int[rank];
        for (int i = 0; i < rank; i++) {
            strideOfOut[i] = inStrides[Shape.axis(axes[i], rank)];
        }
        Tensor out = zeros(outShape);
        int[] counter = new int[rank];
        int src = offset;
        for (int i = 0; i < size; i++) {
            out.data[i] = data[src];
            // Odometer increment of the output index, tracking the source position.
            for (int ax = rank - 1; ax >= 0; ax--) {
                src += strideOfOut[ax];
                if (++counter[ax] < outShape[ax]) {
                    break;
                }
                src -= strideOfOut[ax] * outShape[ax];
                counter[ax] = 0;
            }
        }
        return out;
    }

    /** A copy with two axes swapped. */
    public Tensor transpose(int axisA, int axisB) {
        int rank = shape.length;
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        int a = Shape.axis(axisA, rank);
        int b = Shape.axis(axisB, rank);
        axes[a] = b;
        axes[b] = a;
        return permute(axes);
    }

    /** A copy of indices {@code [start, end)} along one axis. */
    public Tensor slice(int axis, int start, int end) {
        int a = Shape.axis(axis, shape.length);
        if (start < 0 || end > shape[a] || start > end) {
            throw new ShapeException("slice [" + start + ", " + end + ") along axis " + a + " of shape "
                    + Shape.toString(shape));
        }
        int outer = outer(a);
        int inner = inner(a);
        int[] outShape = shape.clone();
        outShape[a] = end - start;
        Tensor out = zeros(outShape);
        int len = (end - start) * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(data, offset + (o * shape[a] + start) * inner, out.data, o * len, len);
        }
        return out;
    }

    /**
     * Stacks equally shaped tensors along a new axis: {@code stack(0, [X0, X1])} of two {@code [4, 3]}
     * tensors is {@code [2, 4, 3]}.
     */
    public static Tensor stack(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new ShapeException("stack: no tensors given");
        }
        int[] partShape = parts.get(0).shape;
        for (int i = 1; i < parts.size(); i++) {
            if (!Arrays.equals(parts.get(i).shape, partShape)) {
                throw new ShapeException("stack: tensor " + i + " has shape " + Shape.toString(parts.get(i).shape)
                        + ", expected " + Shape.toString(partShape) + " like tensor 0");
            }
        }
        int a = Shape.axis(axis, partShape.length + 1);
        int[] expanded = new int[partShape.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == a ? 1 : partShape[j++];
        }
        List<Tensor> views = new ArrayList<>(parts.size());
        for (Tensor p : parts) {
            views.add(p.reshape(expanded));
        }
        return concat(a, views);
    }

    /** Splits along an axis into its slices, each without that axis (inverse of {@link #stack}). */
    public List<Tensor> unstack(int axis) {
        int a = Shape.axis(axis, shape.length);
        int[] partShape = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                partShape[j++] = shape[i];
            }
        }
        List<Tensor> out = new ArrayList<>(shape[a]);
        for (int i = 0; i < shape[a]; i++) {
            out.add(slice(a, i, i + 1).reshape(partShape));
        }
        return out;
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new ShapeException("concat: no tensors given");
        }
        int[] first = parts.get(0).shape;
        int a = Shape.axis(axis, first.length);
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            int[] s = parts.get(i).shape;
            boolean compatible = s.length == first.length;
            for (int d = 0; compatible && d < s.length; d++) {
                compatible = d == a || s[d] == first[d];
            }
            if (!compatible) {
                throw new ShapeException("concat along axis " + a + ": tensor " + i + " has shape " + Shape.toString(s)
                        + ", incompatible with tensor 0's " + Shape.toString(first));
            }
            total += s[a];
        }
        int[] outShape = first.clone();
        outShape[a] = total;
        Tensor out = zeros(outShape);
        int outer = out.outer(a);
        int inner = out.inner(a);
        int outRow = total * inner;
        int at = 0;
        for (Tensor p : parts) {
            int len = p.shape[a] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(p.data, p.offset + o * len, out.data, o * outRow + at, len);
            }
            at += len;
        }
        return out;
    }

    private int outer(int axis) {
        return Shape.outer(shape, axis);
    }

    private int inner(int axis) {
        return Shape.inner(shape, axis);
    }

    // ------------------------------------------------------------------ printing

    /** NumPy-like nested rendering, e.g. {@code [[0.1, 0.2], [0.3, 0.4]]}; large tensors are abbreviated. */
    @Override
    public String toString() {
        if (size > 1000) {
            return "Tensor" + Shape.toString(shape) + " (" + size + " elements)";
        }
        StringBuilder sb = new StringBuilder();
        render(sb, 0, offset);
        return sb.toString();
    }

    private void render(StringBuilder sb, int axis, int start) {
        if (axis == shape.length) {
            sb.append(data[start]);
            return;
        }
        int step = inner(axis);
        sb.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            if (i > 0) {
                sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
            }
            render(sb, axis + 1, start + i * step);
        }
        sb.append(']');
    }
}
