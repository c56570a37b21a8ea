package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The wire format, read back as {@link ProtoWriter} writes it, and as other writers may (packed, unknown fields). */
class ProtoReaderTest {

    @Test
    void readsWhatTheWriterWrites() throws OnnxException {
        ProtoWriter w = new ProtoWriter();
        w.int64(1, -1);
        w.int64(536_870_911, Long.MAX_VALUE);
        w.float32(2, -0.5f);
        w.string(3, "héllo");
        w.message(4, m -> m.int64(1, 300));
        ProtoReader r = ProtoReader.of(w.toByteArray(), "Test");
        assertEquals(1, r.nextField());
        assertEquals(-1, r.int64());
        assertEquals(536_870_911, r.nextField());
        assertEquals(Long.MAX_VALUE, r.int64());
        assertEquals(2, r.nextField());
        assertEquals(-0.5f, r.float32());
        assertEquals(3, r.nextField());
        assertEquals("héllo", r.string());
        assertEquals(4, r.nextField());
        ProtoReader nested = r.message("nested");
        assertEquals(1, nested.nextField());
        assertEquals(300, nested.int64());
        assertFalse(nested.hasField());
        assertFalse(r.hasField());
    }

    @Test
    void negativeInt64sTakeTenBytesAsProtobufWritesThem() {
        ProtoWriter w = new ProtoWriter();
        w.int64(1, -1);
        assertEquals(11, w.toByteArray().length, "tag + 10-byte varint");
    }

    @Test
    void repeatedScalarsArePackedOrOnePerTag() throws OnnxException {
        // Field 1 packed: length 3, varints 1, 150 (two bytes); then field 1 unpacked: 7.
        byte[] bytes = {0x0A, 3, 1, (byte) 0x96, 1, 0x08, 7};
        ProtoReader r = ProtoReader.of(bytes, "Test");
        LongList values = new LongList();
        while (r.hasField()) {
            r.nextField();
            r.repeated(values, ProtoWriter.VARINT);
        }
        assertArrayEquals(new long[] {1, 150, 7}, values.toArray());
        // Packed floats: their bit patterns.
        ProtoWriter w = new ProtoWriter();
        w.bytes(2, new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0});
        ProtoReader f = ProtoReader.of(w.toByteArray(), "Test");
        f.nextField();
        LongList bits = new LongList();
        f.repeated(bits, ProtoWriter.FIXED32);
        assertEquals(1f, Float.intBitsToFloat((int) bits.toArray()[0]));
        assertEquals(-2f, Float.intBitsToFloat((int) bits.toArray()[1]));
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() throws OnnxException {
        byte[] bytes = {0x08, 5, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1A, 2, 9, 9, 0x25, 1, 2, 3, 4, 0x28, 42};
        ProtoReader r = ProtoReader.of(bytes, "Test");
        for (int i = 0; i < 4; i++) {
            r.nextField();
            r.skip();
        }
        assertEquals(5, r.nextField());
        assertEquals(42, r.int64());
    }

    @Test
    void errorsNameTheMessageTheFieldAndTheOffset() {
        OnnxException e = assertThrows(OnnxException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x08, 1, 0x12, 5, 'a'}, "ModelProto");
            r.nextField();
            r.int64();
            r.nextField();
            r.string();
        });
        assertEquals("malformed ONNX file: ModelProto at byte 2: field 2 claims 5 bytes, but only 1 remain", e.getMessage());
        e = assertThrows(OnnxException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x12, 1, 'a'}, "NodeProto");
            r.nextField();
            r.int64();
        });
        assertTrue(e.getMessage().contains("field 2 should be an integer (wire type 0), got wire type 2"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> ProtoReader.of(new byte[] {0x00}, "X").nextField());
        assertTrue(e.getMessage().contains("invalid field number 0"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x7F}, "X");
            r.nextField();
            r.int64();
        });
        assertTrue(e.getMessage().contains("longer than 64 bits"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> {
            ProtoReader r = ProtoReader.of(new byte[] {0x08, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10}, "X");
            r.nextField();
            r.int32();
        });
        assertTrue(e.getMessage().contains("does not fit in 32 bits"), e.getMessage());
    }
}
