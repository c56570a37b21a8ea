package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Embedding;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Text models (an embedding first) export as Cast → Squeeze → Gather and run in ONNX Runtime with Unroll's numbers. */
class OnnxEmbeddingTest {
    private static Tensor ids(Rng rng, int batch, int steps, int vocabulary) {
        float[] v = new float[batch * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(vocabulary);
        }
        return Tensor.of(v, batch, steps, 1);
    }

    @Test
    void languageModelsAndClassifiersRunWithUnrollsNumbers() throws Exception {
        Rng rng = new Rng(4);
        Sequential lm = new Sequential();
        lm.add("embedding", new Embedding(20, 5, rng));
        lm.add("rnn", Recurrent.builder(CellType.LSTM, 5, 6).rng(rng).build());
        lm.add("fc", new Dense(6, 20, rng));
        Sequential clf = new Sequential();
        clf.add("embedding", new Embedding(20, 5, 0, false, rng));
        clf.add("rnn", Recurrent.builder(CellType.GRU, 5, 6).returnSequences(false).rng(rng).build());
        clf.add("fc", new Dense(6, 3, rng));
        try (Ort plain = new Ort(OnnxExport.toModel(lm, OnnxExport.Options.PLAIN, Map.of()).toBytes());
             Ort lengths = new Ort(OnnxExport.toModel(clf, new OnnxExport.Options(true, false), Map.of()).toBytes())) {
            for (int[] bt : new int[][] {{1, 1}, {4, 9}}) {
                Tensor x = ids(rng, bt[0], bt[1], 20);
                double d = Numbers.maxAbsDifference(lm.predict(x), plain.output(x, null), "language model");
                assertTrue(d <= 1e-5, "language model differs by " + d);
            }
            int[] len = {3, 7, 1};
            Tensor x = ids(rng, 3, 7, 20);
            double d = Numbers.maxAbsDifference(clf.predict(x, len), lengths.output(x, len), "classifier");
            assertTrue(d <= 1e-5, "classifier differs by " + d);
        }
        Sequential late = Sequential.of(new Dense(1, 1, rng), new Embedding(3, 2, rng));
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.toModel(late, OnnxExport.Options.PLAIN, Map.of()));
    }
}
