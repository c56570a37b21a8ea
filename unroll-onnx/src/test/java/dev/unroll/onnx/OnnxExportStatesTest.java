package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentOutput;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.State;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state inputs and outputs of an export: a sequence streamed through ONNX Runtime chunk by
 * chunk, each chunk starting from the previous chunk's final states, gives the outputs of one full
 * pass; and initial states, lengths and both directions mean in ONNX Runtime what they mean in
 * Unroll.
 */
class OnnxExportStatesTest {
    private static final double TOLERANCE = 1e-5;
    private static final OnnxExport.Options STATES = new OnnxExport.Options(false, true);

    @Test
    void chunkByChunkThroughOnnxRuntimeEqualsOneFullPass() throws Exception {
        for (String cell : new String[] {"rnn", "lstm", "gru"}) {
            Rng rng = new Rng(7);
            Recurrent r = Recurrent.builder(CellType.parse(cell), 3, 5).layers(2).activation(cell.equals("rnn") ? Activation.RELU : Activation.TANH)
                    .rng(rng).build();
            Sequential model = Sequential.of(r, new Dense(5, 2, rng));
            Tensor x = Tensor.randn(rng, 4, 20, 3);
            Tensor full = model.predict(x);
            try (Ort ort = new Ort(OnnxExport.toModel(model, STATES, Map.of()).toBytes())) {
                Map<String, Tensor> states = new LinkedHashMap<>();
                for (String name : ort.inputNames()) {
                    if (!name.equals(OnnxExport.INPUT)) {
                        states.put(name, Tensor.zeros(1, 4, 5));
                    }
                }
                assertEquals(cell.equals("lstm") ? 4 : 2, states.size(), "state inputs " + states.keySet());
                List<Tensor> chunks = new ArrayList<>();
                int from = 0;
                for (int size : new int[] {1, 5, 3, 11}) {
                    Map<String, Tensor> feed = new LinkedHashMap<>(states);
                    feed.put(OnnxExport.INPUT, x.slice(1, from, from + size).copy());
                    Map<String, Tensor> out = ort.run(feed, null);
                    chunks.add(out.get(OnnxExport.OUTPUT));
                    for (String name : states.keySet()) {
                        states.put(name, out.get(name.replace(".initial_", ".final_")));
                    }
                    from += size;
                }
                double d = Numbers.maxAbsDifference(full, Tensor.concat(1, chunks), cell + " streamed in chunks of 1, 5, 3, 11");
                assertTrue(d <= TOLERANCE, cell + ": chunked outputs differ from one full pass by " + d);
            }
        }
    }

    @Test
    void initialStatesLengthsAndBothDirectionsMeanWhatTheyMeanInUnroll() throws Exception {
        for (String cell : new String[] {"rnn", "lstm", "gru"}) {
            for (boolean sequences : new boolean[] {true, false}) {
                Rng rng = new Rng(11);
                CellType type = CellType.parse(cell);
                Recurrent r = Recurrent.builder(type, 3, 4).layers(2).bidirectional(true).returnSequences(sequences).rng(rng).build();
                int[] lengths = {7, 1, 4, 6};
                Tensor x = Tensor.randn(rng, 4, 7, 3);
                List<State> initial = new ArrayList<>();
                Map<String, Tensor> feed = new LinkedHashMap<>();
                feed.put(OnnxExport.INPUT, x);
                for (int layer = 0; layer < 2; layer++) {
                    Tensor h = Tensor.randn(rng, 2, 4, 4);
                    Tensor c = Tensor.randn(rng, 2, 4, 4);
                    feed.put("rnn.initial_h_l" + layer, h);
                    if (type == CellType.LSTM) {
                        feed.put("rnn.initial_c_l" + layer, c);
                    }
                    for (int dir = 0; dir < 2; dir++) {
                        Variable hd = Variable.constant(h.slice(0, dir, dir + 1).reshape(4, 4).copy());
                        initial.add(type == CellType.LSTM ? new State(hd, Variable.constant(c.slice(0, dir, dir + 1).reshape(4, 4).copy()))
                                : State.of(hd));
                    }
                }
                RecurrentOutput expected;
                try (var scope = Autograd.noGrad()) {
                    expected = r.forward(Variable.constant(x), lengths, initial, false, null);
                }
                byte[] file = OnnxExport.toModel(r, new OnnxExport.Options(true, true), Map.of()).toBytes();
                Samples.save(cell + "-bidirectional-" + (sequences ? "sequences" : "final") + "-lengths-states", file);
                try (Ort ort = new Ort(file)) {
                    Map<String, Tensor> out = ort.run(feed, lengths);
                    String what = r + (sequences ? " all steps" : " final state");
                    Tensor unrollOutput = sequences ? expected.outputs().value() : expected.lastHidden().value();
                    double worst = Numbers.maxAbsDifference(unrollOutput, out.get(OnnxExport.OUTPUT), what);
                    for (int layer = 0; layer < 2; layer++) {
                        for (int dir = 0; dir < 2; dir++) {
                            State s = expected.finalStates().get(layer * 2 + dir);
                            worst = Math.max(worst, Numbers.maxAbsDifference(s.h().value(),
                                    out.get("rnn.final_h_l" + layer).slice(0, dir, dir + 1).reshape(4, 4), what + " final h"));
                            if (type == CellType.LSTM) {
                                worst = Math.max(worst, Numbers.maxAbsDifference(s.c().value(),
                                        out.get("rnn.final_c_l" + layer).slice(0, dir, dir + 1).reshape(4, 4), what + " final c"));
                            }
                        }
                    }
                    assertTrue(worst <= TOLERANCE, what + ": ONNX Runtime differs from Unroll by " + worst);
                }
            }
        }
    }
}
