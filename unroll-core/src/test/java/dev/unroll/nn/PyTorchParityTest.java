package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Variable;
import dev.unroll.io.Json;
import dev.unroll.io.SafeTensors;
import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Recurrent} against PyTorch 1.13's nn.RNN / nn.LSTM / nn.GRU on the same weights, inputs,
 * lengths and initial states (fixtures from {@code tools/fixtures/recurrent_layers.py}): outputs
 * and final states within 1e-5, gradients of every weight, of the input and of the initial states
 * within 1e-4 relative (plus 1e-6 absolute for values near zero).
 */
class PyTorchParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh", "rnn_relu", "lstm", "gru", "rnn_tanh_full", "lstm_2layers",
        "gru_2layers_lengths", "rnn_relu_bidirectional", "lstm_bidirectional", "gru_bidirectional_2layers"})
    void matchesPyTorch(String name) throws Exception {
        SafeTensors.Contents f = SafeTensors.read(Path.of(getClass().getResource("/fixtures/recurrent/" + name + ".safetensors").toURI()));
        Map<String, String> meta = f.metadata();
        CellType type = CellType.parse(meta.get("cell"));
        int layers = Integer.parseInt(meta.get("layers"));
        boolean bidirectional = Boolean.parseBoolean(meta.get("bidirectional").toLowerCase());
        Tensor x0 = f.require("x");
        Recurrent.Builder b = Recurrent.builder(type, x0.dim(2), f.require("h0").dim(2)).layers(layers).bidirectional(bidirectional);
        if (type == CellType.RNN) {
            b.activation(Activation.parse(meta.get("nonlinearity")));
        }
        Recurrent rnn = b.build();
        for (Parameter p : rnn.parameters()) {
            p.load(f.require(p.name()));
        }
        int[] lengths = lengths(meta.get("lengths"));

        Variable x = Variable.parameter("x", x0.copy());
        Variable h0 = Variable.parameter("h0", f.require("h0").copy());
        Variable c0 = type == CellType.LSTM ? Variable.parameter("c0", f.require("c0").copy()) : null;
        List<State> initial = new ArrayList<>();
        for (int i = 0; i < h0.dim(0); i++) {
            Variable h = h0.slice(0, i, i + 1).reshape(h0.dim(1), h0.dim(2));
            Variable c = c0 == null ? null : c0.slice(0, i, i + 1).reshape(c0.dim(1), c0.dim(2));
            initial.add(new State(h, c));
        }
        RecurrentOutput out = rnn.forward(x, lengths, initial, false, null);
        List<Variable> hs = new ArrayList<>();
        List<Variable> cs = new ArrayList<>();
        for (State s : out.finalStates()) {
            hs.add(s.h());
            cs.add(s.c());
        }
        Variable hn = ShapeOps.stack(0, hs);
        Variable loss = out.outputs().mul(Variable.constant(f.require("r_out"))).sum()
                .add(hn.mul(Variable.constant(f.require("r_h"))).sum());
        Variable cn = null;
        if (c0 != null) {
            cn = ShapeOps.stack(0, cs);
            loss = loss.add(cn.mul(Variable.constant(f.require("r_c"))).sum());
        }
        loss.backward();

        assertClose(name + " out", f.require("out"), out.outputs().value(), 1e-5, 0);
        assertClose(name + " h_n", f.require("h_n"), hn.value(), 1e-5, 0);
        if (cn != null) {
            assertClose(name + " c_n", f.require("c_n"), cn.value(), 1e-5, 0);
            assertClose(name + " grad c0", f.require("grad.c0"), c0.grad(), 1e-6, 1e-4);
        }
        for (Parameter p : rnn.parameters()) {
            assertClose(name + " grad " + p.name(), f.require("grad." + p.name()), p.grad(), 1e-6, 1e-4);
        }
        assertClose(name + " grad x", f.require("grad.x"), x.grad(), 1e-6, 1e-4);
        assertClose(name + " grad h0", f.require("grad.h0"), h0.grad(), 1e-6, 1e-4);
    }

    private static int[] lengths(String json) {
        Object v = Json.parse(json);
        if (v == null) {
            return null;
        }
        List<?> list = (List<?>) v;
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Long) list.get(i)).intValue();
        }
        return a;
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]), what + "[" + i + "]: PyTorch " + e[i] + ", Unroll " + a[i]);
        }
    }
}
