package dev.unroll.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protocol buffers wire format (see {@link ProtoWriter}) from untrusted bytes. Every
 * length is checked against the bytes that remain in the enclosing message before anything is
 * allocated, so a claimed size can never exceed the input; varints longer than 10 bytes, wire
 * types other than 0, 1, 2 and 5 (groups are obsolete) and field number 0 are errors. Nested
 * messages are read by the caller through {@link #message}, one schema level at a time, so the
 * nesting depth is the schema's, not the input's.
 *
 * <p>Unknown fields are skipped, as protobuf does, so files from newer ONNX versions still read.
 * Errors are {@link OnnxException}s naming the message, the field and the byte offset.
 */
final class ProtoReader {
    private final byte[] buf;
    private final int end;
    private final String message;
    private int pos;
    private int field;
    private int wireType;
    private int fieldStart;

    private ProtoReader(byte[] buf, int from, int end, String message) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.message = message;
    }

    /** A reader over a whole buffer holding one message of the given name (e.g. {@code ModelProto}). */
    static ProtoReader of(byte[] bytes, String message) {
        return new ProtoReader(bytes, 0, bytes.length, message);
    }

    /** True while the message has fields left. */
    boolean hasField() {
        return pos < end;
    }

    /** Reads the next tag and returns its field number; the value is read next. */
    int nextField() throws OnnxException {
        fieldStart = pos;
        long tag = varint("a field tag");
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (tag >>> 3 > 0x1FFFFFFF || field == 0) {
            throw error("invalid field number " + (tag >>> 3));
        }
        if (wireType != ProtoWriter.VARINT && wireType != ProtoWriter.FIXED64 && wireType != ProtoWriter.LENGTH_DELIMITED
                && wireType != ProtoWriter.FIXED32) {
            throw error("field " + field + " has wire type " + wireType + "; expected 0, 1, 2 or 5");
        }
        return field;
    }

    long int64() throws OnnxException {
        expectWireType(ProtoWriter.VARINT, "an integer");
        return varint("field " + field);
    }

    /** An int32 or enum field: a varint that must fit in 32 bits (negative values are sign-extended). */
    int int32() throws OnnxException {
        long v = int64();
        if (v != (int) v) {
            throw error("field " + field + " holds " + v + ", which does not fit in 32 bits");
        }
        return (int) v;
    }

    float float32() throws OnnxException {
        expectWireType(ProtoWriter.FIXED32, "a float");
        return Float.intBitsToFloat((int) scalar(end));
    }

    byte[] bytes() throws OnnxException {
        int n = length();
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    String string() throws OnnxException {
        int n = length();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A nested message of the given name (for errors), to be read field by field. */
    ProtoReader message(String name) throws OnnxException {
        int n = length();
        ProtoReader nested = new ProtoReader(buf, pos, pos + n, message + "." + name);
        pos += n;
        return nested;
    }

    /**
     * Appends a repeated scalar field's values, packed (wire type 2) or one per tag: varints as
     * they are, fixed32 and fixed64 values (floats, doubles) as their bit patterns.
     *
     * @param scalarWireType the wire type of one value: 0, 5 or 1
     */
    void repeated(LongList into, int scalarWireType) throws OnnxException {
        if (wireType != ProtoWriter.LENGTH_DELIMITED) {
            expectWireType(scalarWireType, "a repeated scalar");
            into.add(scalar(end));
            return;
        }
        // length() moves pos past the length's varint, so it is read before pos.
        int n = length();
        int stop = pos + n;
        while (pos < stop) {
            wireType = scalarWireType;
            into.add(scalar(stop));
        }
    }

    private long scalar(int stop) throws OnnxException {
        if (wireType == ProtoWriter.VARINT) {
            return varintBefore(stop, "a value of field " + field);
        }
        int n = wireType == ProtoWriter.FIXED32 ? 4 : 8;
        if (stop - pos < n) {
            throw error("truncated: a " + 8 * n + "-bit value of field " + field + " needs " + n + " bytes, " + (stop - pos)
                    + " remain");
        }
        long bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= (long) (buf[pos + i] & 0xFF) << (8 * i);
        }
        pos += n;
        return bits;
    }

    /** Skips the value of a field this reader does not use. */
    void skip() throws OnnxException {
        if (wireType == ProtoWriter.LENGTH_DELIMITED) {
            int n = length();
            pos += n;
        } else {
            scalar(end);
        }
    }

    /** An error at the current field, naming the message and the byte offset. */
    OnnxException error(String what) {
        return new OnnxException("malformed ONNX file: " + message + " at byte " + fieldStart + ": " + what);
    }

    private int length() throws OnnxException {
        expectWireType(ProtoWriter.LENGTH_DELIMITED, "a length-delimited value");
        long n = varint("a length");
        if (n < 0 || n > end - pos) {
            throw error("field " + field + " claims " + Long.toUnsignedString(n) + " bytes, but only " + (end - pos) + " remain");
        }
        return (int) n;
    }

    private void expectWireType(int expected, String what) throws OnnxException {
        if (wireType != expected) {
            throw error("field " + field + " should be " + what + " (wire type " + expected + "), got wire type " + wireType);
        }
    }

    private long varint(String what) throws OnnxException {
        return varintBefore(end, what);
    }

    private long varintBefore(int stop, String what) throws OnnxException {
        long v = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= stop) {
                throw error("truncated: " + what + " runs past the end of its message");
            }
            byte b = buf[pos++];
            if (i == 9 && (b & 0xFE) != 0) {
                throw error(what + " is a varint longer than 64 bits");
            }
            v |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return v;
            }
        }
        throw error(what + " is a varint longer than 10 bytes");
    }
}
