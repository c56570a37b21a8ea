package dev.unroll.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * A graph input or output ({@code ValueInfoProto}): a name and, for tensors, the element type and
 * the shape, each dimension a number or a symbol such as {@code batch} (a dimension the runtime
 * chooses at each call).
 *
 * <pre>
 *   ValueInfoProto     1 name   2 type (TypeProto)   3 doc_string
 *   TypeProto          1 tensor_type (TypeProto.Tensor)   4 sequence_type, 5 map_type, ... (not tensors: skipped)
 *   TypeProto.Tensor   1 elem_type (int32, TensorProto.DataType)   2 shape (TensorShapeProto)
 *   TensorShapeProto   1 dim (repeated Dimension)
 *   Dimension          1 dim_value (int64)   2 dim_param (string)
 * </pre>
 *
 * @param name     the value's name
 * @param elemType the element type code, 0 if the value is not a tensor (or its type is not given)
 * @param shape    the dimensions, or null if the shape is not given (unknown rank)
 * @param doc      a description for people (empty if none)
 */
public record OnnxValueInfo(String name, int elemType, List<Dim> shape, String doc) {

    /**
     * One dimension: a fixed size, a symbol, or neither (unknown).
     *
     * @param value the size, or -1 when not fixed
     * @param param the symbol, or null
     */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim symbol(String param) {
            return new Dim(-1, param);
        }

        @Override
        public String toString() {
            return param != null ? param : value >= 0 ? Long.toString(value) : "?";
        }
    }

    /** A tensor input or output. */
    public static OnnxValueInfo tensor(String name, OnnxTensor.DataType type, List<Dim> shape, String doc) {
        return new OnnxValueInfo(name, type.code, List.copyOf(shape), doc);
    }

    /** {@code float[batch, time, 3]}-style description, for people. */
    public String describeType() {
        OnnxTensor.DataType t = OnnxTensor.DataType.of(elemType);
        String type = elemType == 0 ? "(not a tensor)" : t != null ? t.name().toLowerCase(java.util.Locale.ROOT) : "type " + elemType;
        return shape == null ? type + "[unknown shape]" : type + shape;
    }

    void encode(ProtoWriter w) {
        w.string(1, name);
        w.message(2, type -> type.message(1, tensor -> {
            tensor.int64(1, elemType);
            tensor.message(2, s -> {
                for (Dim d : shape) {
                    s.message(1, dim -> {
                        if (d.param() != null) {
                            dim.string(2, d.param());
                        } else {
                            dim.int64(1, d.value());
                        }
                    });
                }
            });
        }));
        w.stringIfNotEmpty(3, doc);
    }

    static OnnxValueInfo decode(ProtoReader r) throws OnnxException {
        String name = "";
        int elemType = 0;
        List<Dim> shape = null;
        String doc = "";
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> name = r.string();
                case 3 -> doc = r.string();
                case 2 -> {
                    ProtoReader type = r.message("type");
                    while (type.hasField()) {
                        if (type.nextField() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtoReader tensor = type.message("tensor_type");
                        while (tensor.hasField()) {
                            switch (tensor.nextField()) {
                                case 1 -> elemType = tensor.int32();
                                case 2 -> shape = shape(tensor.message("shape"));
                                default -> tensor.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, elemType, shape, doc);
    }

    private static List<Dim> shape(ProtoReader r) throws OnnxException {
        List<Dim> dims = new ArrayList<>();
        while (r.hasField()) {
            if (r.nextField() != 1) {
                r.skip();
                continue;
            }
            ProtoReader d = r.message("dim");
            long value = -1;
            String param = null;
            while (d.hasField()) {
                switch (d.nextField()) {
                    case 1 -> value = d.int64();
                    case 2 -> param = d.string();
                    default -> d.skip();
                }
            }
            dims.add(new Dim(param != null ? -1 : Math.max(-1, value), param));
        }
        return List.copyOf(dims);
    }
}
