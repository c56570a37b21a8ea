package dev.unroll.data;

import dev.unroll.tensor.Tensor;

/**
 * Picks examples out of a data set by index: the rows of an {@code [N, ...]} tensor, or the entries
 * of a label array, in the order the indices give (a shuffled mini-batch, a subset). Each row is one
 * contiguous block of the source, so a row is one {@link System#arraycopy}.
 */
public final class Gather {
    private Gather() {
    }

    /**
     * A new tensor {@code [indices.length, ...]} whose row {@code i} is row {@code indices[i]} of
     * {@code source} (an {@code [N, ...]} tensor of rank at least 1).
     */
    public static Tensor rows(Tensor source, int[] indices) {
        if (source.rank() == 0) {
            throw new IllegalArgumentException("gather rows: expected a tensor [N, ...], got a scalar");
        }
        int[] shape = source.shape();
        int count = shape[0];
        int rowSize = count == 0 ? 0 : source.size() / count;
        shape[0] = indices.length;
        Tensor out = Tensor.zeros(shape);
        float[] from = source.data();
        float[] to = out.data();
        for (int i = 0; i < indices.length; i++) {
            int row = checkIndex(indices, i, count);
            System.arraycopy(from, source.offset() + row * rowSize, to, i * rowSize, rowSize);
        }
        return out;
    }

    /** A new array whose entry {@code i} is {@code source[indices[i]]}. */
    public static int[] elements(int[] source, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = source[checkIndex(indices, i, source.length)];
        }
        return out;
    }

    private static int checkIndex(int[] indices, int position, int count) {
        int index = indices[position];
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("gather: index " + index + " at position " + position
                    + " is outside [0, " + count + ")");
        }
        return index;
    }
}
