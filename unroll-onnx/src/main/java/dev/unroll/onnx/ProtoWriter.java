package dev.unroll.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the protocol buffers wire format, the encoding of an {@code .onnx} file: each field is a
 * tag {@code (field number << 3) | wire type} followed by its value — a varint (wire type 0: int64,
 * int32 and enums, sign-extended to 64 bits as protobuf does), 4 little-endian bytes (wire type 5:
 * float) or a varint length and that many bytes (wire type 2: strings, bytes, nested messages).
 *
 * <p>Repeated scalars are written one tagged value each (unpacked), as {@code protoc} writes the
 * proto2 fields of {@code onnx.proto}; tensor contents always go to {@code raw_data}, so large
 * arrays never pay a tag per element.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int FIXED32 = 5;
    static final int LENGTH_DELIMITED = 2;

    /** What writes a nested message's fields. */
    @FunctionalInterface
    interface Body {
        void writeTo(ProtoWriter w);
    }

    private byte[] buf = new byte[256];
    private int size;

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
    }

    /** An int64 field, left out when it holds protobuf's default 0 (as an unset optional field reads). */
    void int64IfNotZero(int field, long value) {
        if (value != 0) {
            int64(field, value);
        }
    }

    void float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (bits >>> (8 * i));
        }
    }

    void string(int field, String value) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A string field, left out when empty (the default an absent field reads as). */
    void stringIfNotEmpty(int field, String value) {
        if (!value.isEmpty()) {
            string(field, value);
        }
    }

    void bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
    }

    void message(int field, Body body) {
        ProtoWriter nested = new ProtoWriter();
        body.writeTo(nested);
        tag(field, LENGTH_DELIMITED);
        varint(nested.size);
        ensure(nested.size);
        System.arraycopy(nested.buf, 0, buf, size, nested.size);
        size += nested.size;
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("ONNX encoding: the model exceeds the 2 GiB a protocol buffer can hold");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
