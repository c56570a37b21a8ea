package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tensors read from raw_data or from the typed fields, with their sizes checked. */
class OnnxTensorTest {

    private static OnnxTensor decode(ProtoWriter.Body body) throws OnnxException {
        ProtoWriter w = new ProtoWriter();
        body.writeTo(w);
        return OnnxTensor.decode(ProtoReader.of(w.toByteArray(), "TensorProto"));
    }

    @Test
    void rawDataRoundTrips() throws OnnxException {
        OnnxTensor t = OnnxTensor.ofFloats("w", new float[] {1f, -2f, 3.5f, 0f, 1e-8f, -0f}, 2, 3);
        ProtoWriter w = new ProtoWriter();
        t.encode(w);
        OnnxTensor back = OnnxTensor.decode(ProtoReader.of(w.toByteArray(), "TensorProto"));
        assertEquals("w", back.name());
        assertArrayEquals(new long[] {2, 3}, back.dims());
        assertArrayEquals(t.floats(), back.floats());
    }

    @Test
    void typedFieldsBecomeTheSameElements() throws OnnxException {
        OnnxTensor floats = decode(w -> {
            w.int64(1, 2);
            w.int64(2, OnnxTensor.DataType.FLOAT.code);
            w.float32(4, 1.5f);
            w.float32(4, -3f);
        });
        assertArrayEquals(new float[] {1.5f, -3f}, floats.floats());
        OnnxTensor longs = decode(w -> {
            w.int64(2, OnnxTensor.DataType.INT64.code);
            w.int64(7, -1);
        });
        assertArrayEquals(new long[] {-1}, longs.longs(), "a scalar: no dims, one element");
        OnnxTensor ints = decode(w -> {
            w.int64(1, 3);
            w.int64(2, OnnxTensor.DataType.INT32.code);
            w.int64(5, 7);
            w.int64(5, -2);
            w.int64(5, 0);
        });
        assertArrayEquals(new long[] {7, -2, 0}, ints.longs());
        OnnxTensor bools = decode(w -> {
            w.int64(1, 2);
            w.int64(2, OnnxTensor.DataType.BOOL.code);
            w.int64(5, 1);
            w.int64(5, 0);
        });
        assertArrayEquals(new long[] {1, 0}, bools.longs());
    }

    @Test
    void sizesThatDoNotAddUpAreErrors() {
        OnnxException e = assertThrows(OnnxException.class, () -> decode(w -> {
            w.int64(1, 2);
            w.int64(1, 3);
            w.int64(2, OnnxTensor.DataType.FLOAT.code);
            w.string(8, "w");
            w.bytes(9, new byte[20]);
        }));
        assertEquals("malformed ONNX file: TensorProto at byte 9: tensor 'w' of dimensions [2, 3] needs 6 FLOAT elements (24 bytes), got 20 bytes",
                e.getMessage());
        e = assertThrows(OnnxException.class, () -> decode(w -> {
            w.int64(1, -4);
            w.int64(2, 1);
        }));
        assertTrue(e.getMessage().contains("negative dimension -4"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> decode(w -> w.int64(2, 8)));
        assertTrue(e.getMessage().contains("has data type 8; Unroll reads FLOAT"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> decode(w -> {
            w.int64(2, 1);
            w.int64(14, 1);
        }));
        assertTrue(e.getMessage().contains("external file"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> decode(w -> {
            w.int64(2, OnnxTensor.DataType.INT64.code);
            w.float32(4, 1f);
        }));
        assertTrue(e.getMessage().contains("of type INT64 has its values in field 4; expected field 7"), e.getMessage());
    }
}
