package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What Unroll's cells cannot compute is a clear error naming the node: each case takes a valid
 * export and changes one thing, as another exporter might have written it.
 */
class UnsupportedOnnxTest {

    private static OnnxModel export(CellType type, boolean bidirectional) {
        Rng rng = new Rng(2);
        Recurrent r = Recurrent.builder(type, 3, 4).bidirectional(bidirectional).rng(rng).build();
        Layer model = Sequential.of(r, new Dense(r.outputSize(), 2, rng));
        OnnxModel m = OnnxExport.toModel(model, OnnxExport.Options.PLAIN, Map.of());
        // Without the description, so the graph alone decides.
        return new OnnxModel(m.irVersion(), m.opsets(), "", "", m.graph(), Map.of());
    }

    /** The model with every node of {@code opType} changed. */
    private static OnnxModel changed(OnnxModel m, String opType, UnaryOperator<OnnxNode> change) {
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : m.graph().nodes()) {
            nodes.add(n.opType().equals(opType) ? change.apply(n) : n);
        }
        OnnxGraph g = m.graph();
        return new OnnxModel(m.irVersion(), m.opsets(), "", "", new OnnxGraph(g.name(), nodes, g.initializers(), g.inputs(), g.outputs(), ""),
                m.metadata());
    }

    private static OnnxNode withAttribute(OnnxNode n, OnnxAttribute a) {
        List<OnnxAttribute> attributes = new ArrayList<>();
        for (OnnxAttribute old : n.attributes()) {
            if (!old.name().equals(a.name())) {
                attributes.add(old);
            }
        }
        attributes.add(a);
        return new OnnxNode(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), attributes);
    }

    private static void assertRejected(OnnxModel m, String... fragments) {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.fromModel(OnnxModel.read(m.toBytes())));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void attributesUnrollsCellsDoNotHaveAreErrorsNamingTheNode() {
        assertRejected(changed(export(CellType.GRU, false), "GRU", n -> withAttribute(n, OnnxAttribute.ofInt("linear_before_reset", 0))),
                "GRU node 'rnn/gru_l0'", "linear_before_reset = 0 is not supported");
        assertRejected(changed(export(CellType.LSTM, false), "LSTM", n -> withAttribute(n, OnnxAttribute.ofFloat("clip", 3f))),
                "LSTM node 'rnn/lstm_l0'", "clip");
        assertRejected(changed(export(CellType.LSTM, false), "LSTM", n -> withAttribute(n, OnnxAttribute.ofInt("input_forget", 1))),
                "input_forget");
        assertRejected(changed(export(CellType.LSTM, true), "LSTM",
                n -> withAttribute(n, OnnxAttribute.ofStrings("activations", List.of("Sigmoid", "Tanh", "Relu", "Sigmoid", "Tanh", "Relu")))),
                "activations [Sigmoid, Tanh, Relu, Sigmoid, Tanh, Relu] are not supported");
        assertRejected(changed(export(CellType.RNN, false), "RNN", n -> withAttribute(n, OnnxAttribute.ofStrings("activations", List.of("Elu")))),
                "activation Elu is not supported");
        assertRejected(changed(export(CellType.GRU, false), "GRU", n -> withAttribute(n, OnnxAttribute.ofString("direction", "reverse"))),
                "direction 'reverse' is not supported");
        assertRejected(changed(export(CellType.GRU, false), "GRU", n -> withAttribute(n, OnnxAttribute.ofInt("layout", 1))), "layout 1");
        assertRejected(changed(export(CellType.RNN, false), "RNN", n -> withAttribute(n, OnnxAttribute.ofInt("hidden_size", 5))),
                "does not hold 1 gates of hidden_size 5");
    }

    @Test
    void peepholesAreAnError() {
        OnnxModel m = export(CellType.LSTM, false);
        List<OnnxTensor> initializers = new ArrayList<>(m.graph().initializers());
        initializers.add(OnnxTensor.ofFloats("P", new float[12], 1, 12));
        OnnxGraph g = m.graph();
        OnnxModel withP = changed(new OnnxModel(m.irVersion(), m.opsets(), "", "", new OnnxGraph(g.name(), g.nodes(), initializers,
                g.inputs(), g.outputs(), ""), Map.of()), "LSTM", n -> {
                    List<String> in = new ArrayList<>(n.inputs());
                    while (in.size() < 7) {
                        in.add("");
                    }
                    in.add("P");
                    return new OnnxNode(n.name(), n.opType(), n.domain(), in, n.outputs(), n.attributes());
                });
        assertRejected(withP, "LSTM node 'rnn/lstm_l0'", "peepholes (input P) are not supported");
    }

    @Test
    void operatorsWithoutAnUnrollEquivalentAreErrors() {
        assertRejected(changed(export(CellType.GRU, false), "Add", n -> new OnnxNode(n.name(), "Sub", "", n.inputs(), n.outputs(), List.of())),
                "Sub node 'fc/bias'", "operator Sub is not supported");
        assertRejected(changed(export(CellType.GRU, false), "Add", n -> new OnnxNode(n.name(), "Add", "com.example", n.inputs(), n.outputs(),
                List.of())), "domain 'com.example'");
        OnnxModel m = export(CellType.GRU, false);
        OnnxModel old = new OnnxModel(7, Map.of("", 12L), "", "", m.graph(), Map.of());
        assertRejected(old, "opset 12; Unroll imports opset 13 or later");
    }

    @Test
    void aDescriptionThatDoesNotMatchTheGraphIsAnError() throws OnnxException {
        Rng rng = new Rng(1);
        Layer model = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).rng(rng).build(), new Dense(4, 2, Activation.TANH, rng));
        Layer other = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).rng(rng).build(), new Dense(4, 2, rng));
        OnnxModel m = OnnxExport.toModel(model, OnnxExport.Options.PLAIN, Map.of());
        OnnxModel lying = new OnnxModel(m.irVersion(), m.opsets(), "", "", m.graph(), OnnxExport.toModel(other, OnnxExport.Options.PLAIN,
                Map.of()).metadata());
        assertRejected(lying, "metadata unroll.model describes", "dense 4 -> 2]", "dense 4 -> 2 tanh]");
        OnnxModel broken = new OnnxModel(m.irVersion(), m.opsets(), "", "", m.graph(), Map.of("unroll.model", "{\"kind\": \"nope\"}"));
        assertRejected(broken, "metadata unroll.model is not a valid model description");
        assertEquals(2, OnnxImport.fromModel(m).model().children().size());
    }
}
