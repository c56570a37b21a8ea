package dev.unroll.autograd;

import dev.unroll.tensor.Shape;

/**
 * Index arithmetic for NumPy-style broadcasting of an operand against a result shape: the
 * operand's element offset for every element of the result, in row-major order of the result.
 * The general (slow) path of element-wise operations; the common layouts have fast paths.
 */
final class Broadcast {
    private final int[] outShape;
    /** Stride of the operand along each result axis; 0 where the operand is broadcast. */
    private final int[] strides;

    Broadcast(int[] operandShape, int[] outShape) {
        this.outShape = outShape;
        this.strides = new int[outShape.length];
        int[] own = Shape.strides(operandShape);
        int shift = outShape.length - operandShape.length;
        for (int i = 0; i < operandShape.length; i++) {
            strides[i + shift] = operandShape[i] == 1 ? 0 : own[i];
        }
    }

    /** Offsets into the operand, one per result element. */
    int[] offsets() {
        int size = Shape.size(outShape);
        int[] result = new int[size];
        int[] counter = new int[outShape.length];
        int at = 0;
        for (int i = 0; i < size; i++) {
            result[i] = at;
            for (int ax = outShape.length - 1; ax >= 0; ax--) {
                at += strides[ax];
                if (++counter[ax] < outShape[ax]) {
                    break;
                }
                at -= strides[ax] * outShape[ax];
                counter[ax] = 0;
            }
        }
        return result;
    }

    /**
     * If the operand, with leading 1s dropped, equals the trailing axes of the result, the number
     * of elements it repeats over (the operand is tiled {@code outSize / operandSize} times);
     * otherwise −1. Covers bias vectors {@code [n]} or {@code [1, n]} against {@code [..., n]}.
     */
    static int tileCount(int[] operandShape, int[] outShape) {
        int first = 0;
        while (first < operandShape.length && operandShape[first] == 1) {
            first++;
        }
        int len = operandShape.length - first;
        if (len > outShape.length) {
            return -1;
        }
        for (int i = 0; i < len; i++) {
            if (operandShape[first + i] != outShape[outShape.length - len + i]) {
                return -1;
            }
        }
        int operandSize = Shape.size(operandShape);
        return operandSize == 0 ? -1 : Shape.size(outShape) / operandSize;
    }
}
