package dev.unroll.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodingTest {
    private static final float[] LOGITS = {1f, 3f, 2.5f, -1f, 0f};

    private static int[] draws(Sampler.Options o, int n) {
        Sampler s = new Sampler(LOGITS.length, o);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.next(LOGITS, 0);
        }
        return out;
    }

    @Test
    void greedyTopOneAndATinyNucleusPickTheMostLikely() {
        for (Sampler.Options o : List.of(Sampler.Options.greedy(), new Sampler.Options(1, 1, 1, 1, 5),
                new Sampler.Options(1, 0, 0.01, 1, 5))) {
            for (int id : draws(o, 50)) {
                assertEquals(1, id, o.toString());
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndTheirFrequenciesFollowTheSoftmax() {
        Sampler.Options o = Sampler.Options.sampling(11);
        assertArrayEquals(draws(o, 200), draws(o, 200));
        assertNotEquals(List.of(draws(o, 50)), List.of(draws(Sampler.Options.sampling(12), 50)));
        int n = 20000;
        int[] counts = new int[LOGITS.length];
        for (int id : draws(o, n)) {
            counts[id]++;
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            assertEquals(p, counts[i] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-3, "token " + i);
        }
    }

    @Test
    void topKAndTopPCutTheTail() {
        for (int id : draws(new Sampler.Options(1, 2, 1, 1, 3), 500)) {
            assertTrue(id == 1 || id == 2, "top-2: " + id);
        }
        // softmax: 0.074, 0.547, 0.332, 0.010, 0.027 → the nucleus of 0.8 is {1, 2}
        for (int id : draws(new Sampler.Options(1, 0, 0.8, 1, 3), 500)) {
            assertTrue(id == 1 || id == 2, "top-p 0.8: " + id);
        }
        int[] hot = draws(new Sampler.Options(5, 0, 1, 1, 3), 2000);
        assertTrue(java.util.Arrays.stream(hot).anyMatch(i -> i == 3), "a high temperature reaches the unlikely tokens");
    }

    @Test
    void theRepetitionPenaltyTurnsAwayFromTokensAlreadyPresent() {
        Sampler s = new Sampler(LOGITS.length, new Sampler.Options(0, 0, 1, 2, 0));
        assertEquals(1, s.next(LOGITS, 0));
        s.observe(1);
        assertEquals(2, s.next(LOGITS, 0), "3/2 < 2.5");
        assertThrows(IllegalArgumentException.class, () -> new Sampler.Options(1, 0, 1, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampler.Options(-1, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampler.Options(1, 0, 0, 1, 0));
    }

    private static Sequential tinyModel() {
        return LanguageModel.build(7, new LanguageModel.Settings(CellType.LSTM, 3, 8, 1, 1, 1, 1, 0.1, 0, 3, 1));
    }

    @Test
    void generationIsSeededStopsAtAStopIdAndMatchesTheFullSequence() {
        Sequential m = tinyModel();
        TextGenerator g = new TextGenerator(m);
        Sampler.Options o = new Sampler.Options(1, 0, 1, 1, 4);
        int[] a = g.generate(new int[] {1, 2}, 40, new int[0], o, id -> { });
        assertEquals(40, a.length);
        assertArrayEquals(a, g.generate(new int[] {1, 2}, 40, new int[0], o, id -> { }), "same seed, same tokens");
        int stop = a[5];
        int[] stopped = g.generate(new int[] {1, 2}, 40, new int[] {stop}, o, id -> { });
        assertEquals(stop, stopped[stopped.length - 1]);
        assertTrue(stopped.length <= 6);
        // Greedy decoding step by step is the argmax of the full forward pass over prompt + generated.
        int[] greedy = g.generate(new int[] {3}, 6, new int[0], Sampler.Options.greedy(), id -> { });
        float[] x = new float[7];
        x[0] = 3;
        for (int i = 0; i < 6; i++) {
            x[i + 1] = greedy[i];
        }
        var logits = m.predict(dev.unroll.tensor.Tensor.of(x, 1, 7, 1));
        for (int t = 0; t < 6; t++) {
            assertEquals(greedy[t], TextClassifier.argmax(logits.data(), t * 7, 7), "step " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {7}, 3, new int[0], o, id -> { }));
    }

    @Test
    void beamSearchOfWidthOneIsGreedyAndWiderBeamsScoreAtLeastAsWell() {
        Sequential m = tinyModel();
        int[] greedy = new TextGenerator(m).generate(new int[] {2}, 5, new int[0], Sampler.Options.greedy(), id -> { });
        BeamSearch beam = new BeamSearch(m);
        assertArrayEquals(greedy, beam.search(new int[] {2}, 1, 5, new int[0]).get(0).ids());
        List<BeamSearch.Hypothesis> wide = beam.search(new int[] {2}, 4, 5, new int[0]);
        assertTrue(wide.size() <= 4 && !wide.isEmpty());
        double greedyScore = beam.search(new int[] {2}, 1, 5, new int[0]).get(0).logProbability();
        assertTrue(wide.get(0).logProbability() >= greedyScore - 1e-9, wide.get(0) + " vs " + greedyScore);
        for (int i = 1; i < wide.size(); i++) {
            assertTrue(wide.get(i - 1).score() >= wide.get(i).score());
        }
    }
}
