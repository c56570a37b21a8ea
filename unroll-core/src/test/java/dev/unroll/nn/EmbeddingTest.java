package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.io.Checkpoint;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    private static Tensor ids(float[] values, int batch, int steps) {
        return Tensor.of(values, batch, steps, 1);
    }

    @Test
    void looksUpRowsOfBothIdShapes() {
        Embedding e = new Embedding(5, 3, new Rng(1));
        float[] v = {4, 0, 2, 2, 1, 3};
        Tensor y = e.forward(Variable.constant(ids(v, 2, 3)), Context.inference()).value();
        Tensor y2 = e.forward(Variable.constant(Tensor.of(v, 2, 3)), Context.inference()).value();
        assertArrayEquals(new int[] {2, 3, 3}, y.shape());
        assertArrayEquals(y.toArray(), y2.toArray());
        Tensor w = e.weight().value();
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(w.get((int) v[i], j), y.data()[i * 3 + j]);
            }
        }
    }

    @Test
    void finiteDifferencesThroughAnLstmAndADense() {
        Rng rng = new Rng(7);
        Embedding e = new Embedding(6, 4, Embedding.NO_PADDING, false, rng); // a padding row gets no gradient by design
        Recurrent r = Recurrent.builder(CellType.LSTM, 4, 5).rng(rng).build();
        Dense d = new Dense(5, 6, rng);
        Tensor x = ids(new float[] {1, 2, 0, 5, 3, 3, 4, 1}, 2, 4);
        int[] lengths = {4, 3};
        List<Variable> leaves = List.of(e.weight().variable(), r.namedParameters().get("weight_ih_l0").variable());
        GradCheck.standard().checkLeaves("embedding -> lstm -> dense", () -> d.forward(
                r.forward(e.forward(Variable.constant(x), Context.inference(lengths)), Context.inference(lengths)),
                Context.inference(lengths)), leaves);
    }

    @Test
    void gradientGoesToTheRowsUsedOnlyAndNeverToThePaddingRow() {
        Embedding e = new Embedding(50, 3, 0, false, new Rng(2));
        for (int j = 0; j < 3; j++) {
            assertEquals(0f, e.weight().value().get(0, j), "padding row starts at zero");
        }
        Tensor x = ids(new float[] {7, 0, 7, 9}, 2, 2);
        Variable y = e.forward(Variable.constant(x), Context.inference());
        y.backward(Tensor.ones(y.shape()));
        Tensor g = e.weight().grad();
        for (int row = 0; row < 50; row++) {
            float expected = row == 7 ? 2f : row == 9 ? 1f : 0f;
            for (int j = 0; j < 3; j++) {
                assertEquals(expected, g.get(row, j), "row " + row);
            }
        }
    }

    @Test
    void aFrozenTableGetsNoGradient() {
        Embedding e = new Embedding(4, 2, Embedding.NO_PADDING, true, new Rng(3));
        Dense d = new Dense(2, 1, new Rng(4));
        Variable y = d.forward(e.forward(Variable.constant(ids(new float[] {1, 2}, 1, 2)), Context.inference()), Context.inference());
        y.sum().backward();
        assertNull(nonZero(e.weight().grad()));
        assertTrue(nonZero(d.weight().grad()) != null);
    }

    private static Float nonZero(Tensor t) {
        for (float v : t.toArray()) {
            if (v != 0f) {
                return v;
            }
        }
        return null;
    }

    @Test
    void loadedTablesKeepThePaddingRowZero() {
        Embedding e = new Embedding(3, 2, 1, true, new Rng(5));
        e.load(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertArrayEquals(new float[] {1, 2, 0, 0, 5, 6}, e.weight().value().toArray());
    }

    @Test
    void idsOutsideTheVocabularyAreErrorsNamingThePosition() {
        Embedding e = new Embedding(5, 3, new Rng(1));
        var high = assertThrows(IllegalArgumentException.class,
                () -> e.forward(Variable.constant(ids(new float[] {1, 2, 5, 0}, 2, 2)), Context.inference()));
        assertTrue(high.getMessage().contains("id 5 at [1, 0]") && high.getMessage().contains("[0, 5)"), high.getMessage());
        var fraction = assertThrows(IllegalArgumentException.class,
                () -> e.forward(Variable.constant(ids(new float[] {1.5f}, 1, 1)), Context.inference()));
        assertTrue(fraction.getMessage().contains("id 1.5"), fraction.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> e.forward(Variable.constant(ids(new float[] {-1}, 1, 1)), Context.inference()));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5, false, new Rng(1)));
    }

    @Test
    void checkpointsRebuildTheLayerAndStreamingMatchesTheSequence() throws Exception {
        Rng rng = new Rng(9);
        Sequential m = new Sequential();
        m.add("embedding", new Embedding(8, 4, 0, false, rng));
        m.add("rnn", Recurrent.builder(CellType.GRU, 4, 6).rng(rng).build());
        m.add("fc", new Dense(6, 8, rng));
        assertEquals(List.of("embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                "fc.weight", "fc.bias"), List.copyOf(m.namedParameters().keySet()));
        Sequential back = (Sequential) Checkpoint.read(Checkpoint.toBytes(m, java.util.Map.of()), "bytes").model();
        Tensor x = ids(new float[] {3, 1, 7, 0, 2, 5}, 1, 6);
        Tensor full = m.predict(x);
        assertArrayEquals(full.toArray(), back.predict(x).toArray());
        assertEquals("embedding(8 x 4, padding 0)", back.layers().get(0).toString());
        StreamingModel s = new StreamingModel(back, 1);
        assertEquals(1, s.inputSize());
        for (int t = 0; t < 6; t++) {
            float[] step = s.step(new float[] {x.data()[t]});
            for (int j = 0; j < 8; j++) {
                assertEquals(full.get(0, t, j), step[j], 1e-6, "step " + t);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> s.step(new float[] {8}));
    }

    @Test
    void trainingUpdatesOnlyTheRowsSeenWithSgd() {
        Embedding e = new Embedding(10, 2, new Rng(1));
        Tensor before = e.weight().value().copy();
        var sgd = new dev.unroll.optim.Sgd(e, 0.1);
        Variable y = e.forward(Variable.constant(ids(new float[] {3, 4}, 1, 2)), Context.inference());
        Losses.meanSquaredError(y, Variable.constant(Tensor.zeros(1, 2, 2))).backward();
        sgd.step();
        for (int row = 0; row < 10; row++) {
            boolean changed = before.get(row, 0) != e.weight().value().get(row, 0);
            assertEquals(row == 3 || row == 4, changed, "row " + row);
        }
    }
}
