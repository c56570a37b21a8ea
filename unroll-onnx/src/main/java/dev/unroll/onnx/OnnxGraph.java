package dev.unroll.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The computation of a model ({@code GraphProto}): nodes in topological order, the constant
 * tensors (initializers, usually the weights), and the inputs and outputs a runtime feeds and
 * fetches.
 *
 * <pre>
 *   GraphProto   1 node (repeated NodeProto)   2 name   5 initializer (repeated TensorProto)
 *                10 doc_string   11 input (repeated ValueInfoProto)   12 output (repeated ValueInfoProto)
 *                13 value_info, 15 sparse_initializer, ... (skipped)
 * </pre>
 *
 * @param name         the graph's name
 * @param nodes        the nodes, each reading only graph inputs, initializers and earlier nodes' outputs
 * @param initializers the constant tensors
 * @param inputs       the inputs (files written for IR version 3 and older also list initializers here)
 * @param outputs      the outputs
 * @param doc          a description for people
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                        List<OnnxValueInfo> outputs, String doc) {

    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    void encode(ProtoWriter w) {
        for (OnnxNode n : nodes) {
            w.message(1, n::encode);
        }
        w.string(2, name);
        for (OnnxTensor t : initializers) {
            w.message(5, t::encode);
        }
        w.stringIfNotEmpty(10, doc);
        for (OnnxValueInfo v : inputs) {
            w.message(11, v::encode);
        }
        for (OnnxValueInfo v : outputs) {
            w.message(12, v::encode);
        }
    }

    static OnnxGraph decode(ProtoReader r) throws OnnxException {
        String name = "";
        String doc = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> nodes.add(OnnxNode.decode(r.message("node")));
                case 2 -> name = r.string();
                case 5 -> initializers.add(OnnxTensor.decode(r.message("initializer")));
                case 10 -> doc = r.string();
                case 11 -> inputs.add(OnnxValueInfo.decode(r.message("input")));
                case 12 -> outputs.add(OnnxValueInfo.decode(r.message("output")));
                default -> r.skip();
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, doc);
    }
}
