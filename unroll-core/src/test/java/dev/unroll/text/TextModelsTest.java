package dev.unroll.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextModelsTest {
    @Test
    void aLanguageModelLearnsARepeatingStreamAndScoresTheSameWhateverTheWindow() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("abcde fghij ");
        }
        int[] ids = Vocabulary.bytes().encode(sb.toString());
        LanguageModel.Settings s = new LanguageModel.Settings(CellType.LSTM, 8, 24, 1, 4, 20, 6, 0.01, 5, 1, 1);
        Sequential m = LanguageModel.build(256, s);
        double before = LanguageModel.bitsPerToken(m, ids, 4, 30);
        List<LanguageModel.Epoch> h = LanguageModel.fit(m, ids, ids, s, e -> { });
        double after = h.get(h.size() - 1).testBits();
        assertTrue(before > 7 && after < 0.5, before + " -> " + after);
        int[] windows = {0};
        LanguageModel.fit(LanguageModel.build(256, s), ids, null, s, e -> { }, w -> {
            assertTrue(w.done() >= 1 && w.done() <= w.windows() && w.trainBits() > 0);
            windows[0]++;
        });
        assertEquals(6 * (((ids.length - 1) / 4 + 19) / 20), windows[0], "one call per update");
        // The state is carried from window to window: any window length gives the same score.
        assertEquals(LanguageModel.bitsPerToken(m, ids, 3, 1000), LanguageModel.bitsPerToken(m, ids, 3, 7), 1e-5);
    }

    @Test
    void aClassifierSeparatesTwoAlphabetsAndReportsPerClass() {
        Rng rng = new Rng(3);
        List<String> texts = new ArrayList<>();
        int[] classes = new int[200];
        for (int i = 0; i < 200; i++) {
            classes[i] = i % 2;
            StringBuilder sb = new StringBuilder();
            int len = 1 + rng.nextInt(9);
            for (int j = 0; j < len; j++) {
                sb.append(classes[i] == 0 ? "abc".charAt(rng.nextInt(3)) : "абв".charAt(rng.nextInt(3)));
            }
            texts.add(sb.toString());
        }
        Vocabulary v = Vocabulary.characters(texts, 1, 100);
        TokenSequences data = TokenSequences.encode(v, texts, classes, 400);
        TextClassifier.Settings s = new TextClassifier.Settings(CellType.GRU, 4, 8, 1, 16, 8, 0.02, 1, 1);
        Sequential m = TextClassifier.build(v.size(), v.pad(), 2, s);
        List<TextClassifier.Epoch> h = TextClassifier.fit(m, data, data, s, e -> { });
        assertEquals(1.0, h.get(h.size() - 1).testAccuracy());
        TextClassifier.Evaluation ev = TextClassifier.evaluate(m, data, 64);
        assertTrue(ev.loss() < 0.5, "test loss " + ev.loss());
        ClassificationReport r = ev.report();
        assertEquals(200, r.total());
        assertEquals(1.0, r.macroF1());
        String table = r.format(List.of("latin", "cyrillic"));
        assertTrue(table.contains("latin") && table.contains("confusion"), table);
    }

    @Test
    void theThreadSafePredictorServesTextModelsStepByStepAndWhole() throws Exception {
        Sequential m = LanguageModel.build(256, new LanguageModel.Settings(CellType.GRU, 4, 6, 1, 1, 1, 1, 0.1, 0, 2, 1));
        var predictor = dev.unroll.infer.Predictor.load(dev.unroll.io.Checkpoint.toBytes(m, java.util.Map.of()), "lm");
        int[] ids = Vocabulary.bytes().encode("héllo");
        float[] x = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
        }
        var whole = predictor.predict(dev.unroll.tensor.Tensor.of(x, 1, ids.length, 1));
        var session = predictor.newSession();
        for (int t = 0; t < ids.length; t++) {
            var r = predictor.step(session, new float[] {x[t]});
            session = r.state();
            for (int j = 0; j < 256; j++) {
                assertEquals(whole.get(0, t, j), r.outputs()[j], 1e-5, "step " + t);
            }
        }
    }

    @Test
    void bucketsHoldSimilarLengthsAndCoverEverySequenceOnce() {
        int n = 1000;
        int[][] ids = new int[n][];
        Rng rng = new Rng(5);
        for (int i = 0; i < n; i++) {
            ids[i] = new int[1 + rng.nextInt(100)];
        }
        TokenSequences t = new TokenSequences(ids, null, 0);
        boolean[] seen = new boolean[n];
        long padded = 0;
        for (int[] b : t.shuffledBatches(10, new Rng(1))) {
            int max = 0;
            for (int i : b) {
                assertTrue(!seen[i]);
                seen[i] = true;
                max = Math.max(max, ids[i].length);
            }
            padded += (long) max * b.length;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertTrue(padded < 1.1 * t.tokens(), "padding " + padded + " for " + t.tokens() + " tokens");
    }

    @Test
    void precisionRecallAndF1OfAKnownConfusion() {
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2}, 3);
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertEquals(1.0, r.precision(0), 1e-12);
        assertEquals(2.0 / 3, r.recall(0), 1e-12);
        assertEquals(0.5, r.precision(1), 1e-12);
        assertEquals(0.5, r.recall(1), 1e-12);
        assertEquals(0.5, r.f1(1), 1e-12);
        assertEquals(2.0 / 3, r.f1(2), 1e-12);
    }
}
