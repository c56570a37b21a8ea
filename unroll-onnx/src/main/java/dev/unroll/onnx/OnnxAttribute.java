package dev.unroll.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One attribute of a node ({@code AttributeProto}): a name, a type, and the value in the field of
 * that type.
 *
 * <pre>
 *   AttributeProto   1 name   20 type (AttributeType)
 *                    2 f (float)   3 i (int64)   4 s (bytes)   5 t (TensorProto)
 *                    7 floats      8 ints        9 strings     6 g, 10 tensors, 11 graphs, ... (skipped)
 *   AttributeType    FLOAT 1  INT 2  STRING 3  TENSOR 4  GRAPH 5  FLOATS 6  INTS 7  STRINGS 8  TENSORS 9  GRAPHS 10 ...
 * </pre>
 *
 * <p>Graph-valued attributes (the bodies of {@code If}, {@code Loop}, {@code Scan}) are not read —
 * no operator Unroll imports has one — so reading never recurses into subgraphs. An attribute
 * without a type (files older than ONNX 1.1) gets the type of the field it sets.
 *
 * @param name    attribute name
 * @param type    an {@code AttributeType} code
 * @param f       the FLOAT value
 * @param i       the INT value
 * @param s       the STRING value (UTF-8), or null
 * @param t       the TENSOR value, or null
 * @param floats  the FLOATS value (empty if none)
 * @param ints    the INTS value (empty if none)
 * @param strings the STRINGS value (empty if none)
 */
public record OnnxAttribute(String name, int type, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints,
                            List<String> strings) {
    public static final int FLOAT = 1;
    public static final int INT = 2;
    public static final int STRING = 3;
    public static final int TENSOR = 4;
    public static final int GRAPH = 5;
    public static final int FLOATS = 6;
    public static final int INTS = 7;
    public static final int STRINGS = 8;

    private static final float[] NO_FLOATS = {};
    private static final long[] NO_INTS = {};

    public static OnnxAttribute ofInt(String name, long value) {
        return new OnnxAttribute(name, INT, 0f, value, null, null, NO_FLOATS, NO_INTS, List.of());
    }

    public static OnnxAttribute ofFloat(String name, float value) {
        return new OnnxAttribute(name, FLOAT, value, 0, null, null, NO_FLOATS, NO_INTS, List.of());
    }

    public static OnnxAttribute ofString(String name, String value) {
        return new OnnxAttribute(name, STRING, 0f, 0, value, null, NO_FLOATS, NO_INTS, List.of());
    }

    public static OnnxAttribute ofTensor(String name, OnnxTensor value) {
        return new OnnxAttribute(name, TENSOR, 0f, 0, null, value, NO_FLOATS, NO_INTS, List.of());
    }

    public static OnnxAttribute ofInts(String name, long... values) {
        return new OnnxAttribute(name, INTS, 0f, 0, null, null, NO_FLOATS, values.clone(), List.of());
    }

    public static OnnxAttribute ofFloats(String name, float... values) {
        return new OnnxAttribute(name, FLOATS, 0f, 0, null, null, values.clone(), NO_INTS, List.of());
    }

    public static OnnxAttribute ofStrings(String name, List<String> values) {
        return new OnnxAttribute(name, STRINGS, 0f, 0, null, null, NO_FLOATS, NO_INTS, List.copyOf(values));
    }

    /** The type's name in {@code onnx.proto} ({@code INT}, {@code STRINGS}, ...), for messages. */
    public String typeName() {
        return typeName(type);
    }

    static String typeName(int type) {
        return switch (type) {
            case FLOAT -> "FLOAT";
            case INT -> "INT";
            case STRING -> "STRING";
            case TENSOR -> "TENSOR";
            case GRAPH -> "GRAPH";
            case FLOATS -> "FLOATS";
            case INTS -> "INTS";
            case STRINGS -> "STRINGS";
            default -> "type " + type;
        };
    }

    void encode(ProtoWriter w) {
        w.string(1, name);
        switch (type) {
            case FLOAT -> w.float32(2, f);
            case INT -> w.int64(3, i);
            case STRING -> w.string(4, s);
            case TENSOR -> w.message(5, t::encode);
            case FLOATS -> {
                for (float v : floats) {
                    w.float32(7, v);
                }
            }
            case INTS -> {
                for (long v : ints) {
                    w.int64(8, v);
                }
            }
            case STRINGS -> {
                for (String v : strings) {
                    w.string(9, v);
                }
            }
            default -> throw new IllegalStateException("attribute " + name + ": cannot write " + typeName());
        }
        w.int64(20, type);
    }

    static OnnxAttribute decode(ProtoReader r) throws OnnxException {
        String name = "";
        int type = 0;
        int inferred = 0;
        float f = 0f;
        long i = 0;
        String s = null;
        OnnxTensor t = null;
        LongList floatBits = new LongList();
        LongList ints = new LongList();
        List<String> strings = new ArrayList<>();
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> name = r.string();
                case 20 -> type = r.int32();
                case 2 -> {
                    f = r.float32();
                    inferred = FLOAT;
                }
                case 3 -> {
                    i = r.int64();
                    inferred = INT;
                }
                case 4 -> {
                    s = new String(r.bytes(), StandardCharsets.UTF_8);
                    inferred = STRING;
                }
                case 5 -> {
                    t = OnnxTensor.decode(r.message("t"));
                    inferred = TENSOR;
                }
                case 6 -> {
                    r.skip();
                    inferred = GRAPH;
                }
                case 7 -> {
                    r.repeated(floatBits, ProtoWriter.FIXED32);
                    inferred = FLOATS;
                }
                case 8 -> {
                    r.repeated(ints, ProtoWriter.VARINT);
                    inferred = INTS;
                }
                case 9 -> {
                    strings.add(new String(r.bytes(), StandardCharsets.UTF_8));
                    inferred = STRINGS;
                }
                default -> r.skip();
            }
        }
        if (type == 0) {
            type = inferred;
        }
        if (type == STRING && s == null) {
            s = "";
        }
        if (type == TENSOR && t == null) {
            throw r.error("attribute '" + name + "' is of type TENSOR but holds no tensor");
        }
        long[] bits = floatBits.toArray();
        float[] floats = new float[bits.length];
        for (int k = 0; k < bits.length; k++) {
            floats[k] = Float.intBitsToFloat((int) bits[k]);
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats, ints.toArray(), List.copyOf(strings));
    }
}
