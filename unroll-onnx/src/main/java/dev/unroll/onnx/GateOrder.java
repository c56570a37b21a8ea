package dev.unroll.onnx;

import dev.unroll.nn.CellType;

/**
 * The order in which recurrent cells stack their gates' weights, which differs between PyTorch
 * (and Unroll) and ONNX — the classic trap of converting LSTMs and GRUs:
 *
 * <pre>
 *            PyTorch / Unroll     ONNX
 *   LSTM     i  f  g  o           i  o  f  c      (c is PyTorch's g, the cell candidate)
 *   GRU      r  z  n              z  r  h         (h is PyTorch's n, the new-state candidate)
 *   RNN      (one block)          (one block)
 * </pre>
 *
 * <p>Weights are {@code [G·H, columns]} row blocks of {@code H} rows, one per gate (biases are the
 * same with one column); reordering moves whole blocks.
 */
final class GateOrder {
    /** For each ONNX gate position, the PyTorch gate it holds. */
    private static final int[] LSTM_TO_ONNX = {0, 3, 1, 2};
    private static final int[] GRU_TO_ONNX = {1, 0, 2};
    private static final int[] LSTM_FROM_ONNX = {0, 2, 3, 1};
    private static final int[] RNN = {0};

    private GateOrder() {
    }

    /** PyTorch-ordered {@code [G·H, columns]} weights (from {@code offset}) in ONNX's order, appended at {@code out[at]}. */
    static void toOnnx(CellType type, float[] weights, int offset, int hidden, int columns, float[] out, int at) {
        move(type == CellType.LSTM ? LSTM_TO_ONNX : type == CellType.GRU ? GRU_TO_ONNX : RNN, weights, offset, hidden, columns, out, at);
    }

    /** ONNX-ordered weights (from {@code offset}) in PyTorch's order, into {@code out[at]}. */
    static void fromOnnx(CellType type, float[] weights, int offset, int hidden, int columns, float[] out, int at) {
        move(type == CellType.LSTM ? LSTM_FROM_ONNX : type == CellType.GRU ? GRU_TO_ONNX : RNN, weights, offset, hidden, columns, out, at);
    }

    /** Block {@code k} of the result is block {@code source[k]} of the input. */
    private static void move(int[] source, float[] weights, int offset, int hidden, int columns, float[] out, int at) {
        int block = hidden * columns;
        for (int k = 0; k < source.length; k++) {
            System.arraycopy(weights, offset + source[k] * block, out, at + k * block, block);
        }
    }
}
