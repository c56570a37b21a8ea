package dev.unroll.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the nodes, initializers, inputs and outputs of a graph being written, in order, giving
 * every value and node a unique name; small int64 constants (axes, shapes) are made once and shared.
 */
final class GraphBuilder {
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final List<OnnxValueInfo> inputs = new ArrayList<>();
    private final List<OnnxValueInfo> outputs = new ArrayList<>();
    /** Shared constants by purpose and value. */
    private final Map<String, String> constants = new HashMap<>();
    /** Value names taken (node outputs, initializers, inputs). */
    private final Set<String> valueNames = new HashSet<>();
    /** Node names taken (a namespace of their own). */
    private final Set<String> nodeNames = new HashSet<>();

    /**
     * Adds a node with {@code outputs} fresh output names derived from its name and returns them.
     * An input "" leaves an optional input out.
     */
    List<String> node(String opType, String name, List<String> in, int outputs, OnnxAttribute... attributes) {
        List<String> out = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            out.add(unique(valueNames, outputs == 1 ? name : name + ":" + i));
        }
        nodes.add(new OnnxNode(unique(nodeNames, name), opType, "", in, out, List.of(attributes)));
        return out;
    }

    /** A node with one output; returns the output's name. */
    String node1(String opType, String name, List<String> in, OnnxAttribute... attributes) {
        return node(opType, name, in, 1, attributes).get(0);
    }

    /** Adds a node whose outputs the caller names ("" leaves an optional output out). */
    void nodeWithOutputs(String opType, String name, List<String> in, List<String> out, OnnxAttribute... attributes) {
        for (String o : out) {
            if (!o.isEmpty()) {
                claim(o);
            }
        }
        nodes.add(new OnnxNode(unique(nodeNames, name), opType, "", in, out, List.of(attributes)));
    }

    /** Adds an initializer under its own name (which must be free) and returns the name. */
    String initializer(OnnxTensor t) {
        claim(t.name());
        initializers.add(t);
        return t.name();
    }

    /** A shared int64 constant, 1-D or (when {@code scalar}) a scalar, named {@code const/<purpose>}. */
    String longs(String purpose, boolean scalar, long... values) {
        String key = purpose + (scalar ? " scalar " : " vector ") + Arrays.toString(values);
        String existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        String name = unique(valueNames, "const/" + purpose);
        initializers.add(OnnxTensor.ofLongs(name, values, scalar ? new long[0] : new long[] {values.length}));
        constants.put(key, name);
        return name;
    }

    void input(OnnxValueInfo v) {
        claim(v.name());
        inputs.add(v);
    }

    void output(OnnxValueInfo v) {
        outputs.add(v);
    }

    /** Renames a node output that no node reads yet (to give the graph's output its public name). */
    void renameOutput(String value, String newName) {
        claim(newName);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxNode n = nodes.get(i);
            if (n.inputs().contains(value)) {
                throw new IllegalStateException("cannot rename " + value + ": node " + n.name() + " reads it");
            }
            int at = n.outputs().indexOf(value);
            if (at >= 0) {
                List<String> out = new ArrayList<>(n.outputs());
                out.set(at, newName);
                nodes.set(i, new OnnxNode(n.name(), n.opType(), n.domain(), n.inputs(), out, n.attributes()));
                return;
            }
        }
        throw new IllegalStateException("no node outputs " + value);
    }

    OnnxGraph build(String name, String doc) {
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, doc);
    }

    /** {@code base}, or {@code base_2}, {@code base_3}, ... if taken; marks the result taken. */
    private static String unique(Set<String> taken, String base) {
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "_" + n;
        }
        taken.add(name);
        return name;
    }

    private void claim(String name) {
        if (!valueNames.add(name)) {
            throw new IllegalStateException("value name " + name + " is used twice");
        }
    }
}
