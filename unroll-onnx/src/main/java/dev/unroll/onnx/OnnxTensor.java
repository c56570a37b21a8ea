package dev.unroll.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor of an ONNX file — an initializer, or the value of a {@code Constant} node or of a tensor
 * attribute ({@code TensorProto} in {@code onnx.proto}): a name, an element type, the dimensions
 * and the elements as little-endian bytes in row-major order.
 *
 * <pre>
 *   TensorProto   1 dims (repeated int64)   2 data_type (int32, {@link DataType})   8 name
 *                 9 raw_data (bytes)        4 float_data   5 int32_data   7 int64_data   10 double_data
 *                 14 data_location (1 = EXTERNAL: the data is in another file, not supported)
 * </pre>
 *
 * <p>Written with {@code raw_data}; read from {@code raw_data} or from the typed fields (whose
 * values are converted to the same little-endian bytes). The element count must match the
 * dimensions exactly.
 *
 * @param name the tensor's name (empty for an attribute's tensor)
 * @param type the element type
 * @param dims the dimensions; empty for a scalar
 * @param raw  the elements, {@code type.size} bytes each, little-endian
 */
public record OnnxTensor(String name, DataType type, long[] dims, byte[] raw) {

    /** The element types Unroll reads ({@code TensorProto.DataType}). */
    public enum DataType {
        FLOAT(1, 4),
        UINT8(2, 1),
        INT8(3, 1),
        INT32(6, 4),
        INT64(7, 8),
        BOOL(9, 1),
        DOUBLE(11, 8);

        /** The code in {@code onnx.proto}. */
        public final int code;
        /** Bytes per element. */
        public final int size;

        DataType(int code, int size) {
            this.code = code;
            this.size = size;
        }

        /** The type of a code, or null if Unroll does not read it. */
        static DataType of(int code) {
            for (DataType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /** A float32 tensor. */
    public static OnnxTensor ofFloats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return checked(name, DataType.FLOAT, dims, b.array());
    }

    /** An int64 tensor. */
    public static OnnxTensor ofLongs(String name, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return checked(name, DataType.INT64, dims, b.array());
    }

    private static OnnxTensor checked(String name, DataType type, long[] dims, byte[] raw) {
        OnnxTensor t = new OnnxTensor(name, type, dims.clone(), raw);
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count * type.size != raw.length) {
            throw new IllegalArgumentException("tensor " + name + ": dimensions " + Arrays.toString(dims) + " hold " + count
                    + " elements, got " + raw.length / type.size);
        }
        return t;
    }

    /** Number of elements. */
    public int elementCount() {
        return raw.length / type.size;
    }

    /** The elements as floats (float32 or float64 tensors). */
    public float[] floats() throws OnnxException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[elementCount()];
        switch (type) {
            case FLOAT -> b.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new OnnxException("tensor '" + name + "' holds " + type + " values; expected FLOAT");
        }
        return out;
    }

    /** The elements as longs (integer and boolean tensors). */
    public long[] longs() throws OnnxException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case INT64 -> b.getLong(8 * i);
                case INT32 -> b.getInt(4 * i);
                case INT8 -> b.get(i);
                case UINT8, BOOL -> b.get(i) & 0xFF;
                default -> throw new OnnxException("tensor '" + name + "' holds " + type + " values; expected integers");
            };
        }
        return out;
    }

    /** True for float32 and float64 tensors. */
    public boolean isFloating() {
        return type == DataType.FLOAT || type == DataType.DOUBLE;
    }

    void encode(ProtoWriter w) {
        for (long d : dims) {
            w.int64(1, d);
        }
        w.int64(2, type.code);
        w.stringIfNotEmpty(8, name);
        w.bytes(9, raw);
    }

    static OnnxTensor decode(ProtoReader r) throws OnnxException {
        LongList dims = new LongList();
        int code = 0;
        String name = "";
        byte[] raw = null;
        LongList typed = new LongList();
        int typedField = 0;
        while (r.hasField()) {
            int field = r.nextField();
            switch (field) {
                case 1 -> r.repeated(dims, ProtoWriter.VARINT);
                case 2 -> code = r.int32();
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 4, 5, 7, 10 -> {
                    if (typedField != 0 && typedField != field) {
                        throw r.error("tensor '" + name + "' has values in two typed fields, " + typedField + " and " + field);
                    }
                    typedField = field;
                    r.repeated(typed, field == 4 ? ProtoWriter.FIXED32 : field == 10 ? ProtoWriter.FIXED64 : ProtoWriter.VARINT);
                }
                case 14 -> {
                    if (r.int32() == 1) {
                        throw r.error("tensor '" + name + "' keeps its data in an external file, which Unroll does not read");
                    }
                }
                case 6, 11 -> throw r.error("tensor '" + name + "' holds strings or unsigned 64-bit values, which Unroll does not read");
                default -> r.skip();
            }
        }
        DataType type = DataType.of(code);
        if (type == null) {
            throw r.error("tensor '" + name + "' has data type " + code + "; Unroll reads FLOAT, DOUBLE, INT64, INT32, INT8, UINT8 and BOOL");
        }
        long count = elementCount(r, name, dims.toArray());
        if (raw != null && typedField != 0) {
            throw r.error("tensor '" + name + "' has both raw_data and typed values");
        }
        if (raw == null) {
            raw = fromTyped(r, name, type, typedField, typed);
        }
        if (raw.length != count * type.size) {
            throw r.error("tensor '" + name + "' of dimensions " + Arrays.toString(dims.toArray()) + " needs " + count + " " + type
                    + " elements (" + count * type.size + " bytes), got " + raw.length + " bytes");
        }
        return new OnnxTensor(name, type, dims.toArray(), raw);
    }

    /** The product of the dimensions, checked: none negative, and no overflow past what a file can hold. */
    private static long elementCount(ProtoReader r, String name, long[] dims) throws OnnxException {
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw r.error("tensor '" + name + "' has a negative dimension " + d + " in " + Arrays.toString(dims));
            }
            if (d != 0 && count > Integer.MAX_VALUE / d) {
                throw r.error("tensor '" + name + "' of dimensions " + Arrays.toString(dims) + " has more elements than a file can hold");
            }
            count *= d;
        }
        return count;
    }

    /** Converts typed field values (varints or bit patterns) to the raw little-endian bytes of {@code type}. */
    private static byte[] fromTyped(ProtoReader r, String name, DataType type, int field, LongList typed) throws OnnxException {
        int expectedField = switch (type) {
            case FLOAT -> 4;
            case INT64 -> 7;
            case DOUBLE -> 10;
            default -> 5;
        };
        if (field != 0 && field != expectedField) {
            throw r.error("tensor '" + name + "' of type " + type + " has its values in field " + field + "; expected field "
                    + expectedField);
        }
        long[] values = typed.toArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.length * type.size);
        for (long v : values) {
            for (int i = 0; i < type.size; i++) {
                out.write((int) (v >>> (8 * i)));
            }
        }
        return out.toByteArray();
    }
}
