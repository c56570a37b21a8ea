package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.nn.CellType;
import org.junit.jupiter.api.Test;

class GateOrderTest {
    /** Gate blocks of 2 rows × 1 column holding their PyTorch gate number. */
    private static float[] blocks(int gates) {
        float[] w = new float[2 * gates];
        for (int g = 0; g < gates; g++) {
            w[2 * g] = g;
            w[2 * g + 1] = g;
        }
        return w;
    }

    private static float[] toOnnx(CellType type) {
        float[] out = new float[2 * type.gates];
        GateOrder.toOnnx(type, blocks(type.gates), 0, 2, 1, out, 0);
        return out;
    }

    @Test
    void lstmGoesFromIfgoToIofcAndGruFromRznToZrh() {
        // ONNX LSTM i, o, f, c holds PyTorch's i (0), o (3), f (1), g (2).
        assertArrayEquals(new float[] {0, 0, 3, 3, 1, 1, 2, 2}, toOnnx(CellType.LSTM));
        // ONNX GRU z, r, h holds PyTorch's z (1), r (0), n (2).
        assertArrayEquals(new float[] {1, 1, 0, 0, 2, 2}, toOnnx(CellType.GRU));
        assertArrayEquals(new float[] {0, 0}, toOnnx(CellType.RNN));
    }

    @Test
    void fromOnnxUndoesToOnnx() {
        for (CellType type : CellType.values()) {
            float[] back = new float[2 * type.gates + 3];
            GateOrder.fromOnnx(type, toOnnx(type), 0, 2, 1, back, 3);
            float[] expected = new float[2 * type.gates + 3];
            System.arraycopy(blocks(type.gates), 0, expected, 3, 2 * type.gates);
            assertArrayEquals(expected, back, type.id());
        }
    }
}
