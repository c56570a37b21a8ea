package dev.unroll.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * One operator application of a graph ({@code NodeProto}): inputs and outputs are value names (an
 * empty name leaves an optional input or output out), attributes configure the operator.
 *
 * <pre>
 *   NodeProto   1 input (repeated string)   2 output (repeated string)   3 name   4 op_type
 *               5 attribute (repeated AttributeProto)   6 doc_string   7 domain ("" = ai.onnx)
 * </pre>
 *
 * @param name       the node's name (for people and errors; may be empty)
 * @param opType     the operator, e.g. {@code LSTM}
 * @param domain     the operator set's domain, empty for the standard {@code ai.onnx}
 * @param inputs     input value names
 * @param outputs    output value names
 * @param attributes the attributes
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<OnnxAttribute> attributes) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** The attribute of that name, or null. */
    public OnnxAttribute attribute(String attributeName) {
        for (OnnxAttribute a : attributes) {
            if (a.name().equals(attributeName)) {
                return a;
            }
        }
        return null;
    }

    /** The input at {@code index}, or "" when the node has fewer inputs (an optional input left out). */
    public String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }

    /** The output at {@code index}, or "" when the node has fewer outputs. */
    public String output(int index) {
        return index < outputs.size() ? outputs.get(index) : "";
    }

    /** {@code LSTM node 'rnn/l0'}, for messages. */
    public String describe() {
        return opType + " node '" + (name.isEmpty() ? output(0) : name) + "'";
    }

    void encode(ProtoWriter w) {
        for (String in : inputs) {
            w.string(1, in);
        }
        for (String out : outputs) {
            w.string(2, out);
        }
        w.stringIfNotEmpty(3, name);
        w.string(4, opType);
        for (OnnxAttribute a : attributes) {
            w.message(5, a::encode);
        }
        w.stringIfNotEmpty(7, domain);
    }

    static OnnxNode decode(ProtoReader r) throws OnnxException {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<OnnxAttribute> attributes = new ArrayList<>();
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> opType = r.string();
                case 5 -> attributes.add(OnnxAttribute.decode(r.message("attribute")));
                case 7 -> domain = r.string();
                default -> r.skip();
            }
        }
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }
}
