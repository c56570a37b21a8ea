package dev.unroll.text;

import dev.unroll.kernel.Softmax;
import dev.unroll.nn.Embedding;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StepProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search over a language model's outputs: the {@code width} most likely continuations of a
 * prompt kept at every step (each a row of one {@link StepProgram} workspace, stepped together),
 * each extended by every token, the {@code width} best of all extensions kept. A continuation ends
 * at an end id or at the maximum length. The result ranks the ended continuations by their mean
 * log-probability per token (so that short ones are not favoured merely for being short); ties by
 * order found. The search stops when {@code width} continuations have ended (or none is left).
 * Deterministic.
 */
public final class BeamSearch {
    /** One continuation and its log-probability (natural log, summed over its tokens). */
    public record Hypothesis(int[] ids, double logProbability) {
        /** The mean log-probability per token, the ranking score. */
        public double score() {
            return ids.length == 0 ? logProbability : logProbability / ids.length;
        }
    }

    private final StepProgram program;
    private final int vocabulary;

    public BeamSearch(Sequential model) {
        if (model.layers().isEmpty() || !(model.layers().get(0) instanceof Embedding e)) {
            throw new IllegalArgumentException("beam search needs a model that starts with an embedding, got " + model);
        }
        this.program = StepProgram.of(model);
        this.vocabulary = e.vocabulary();
        if (program.outputSize() != vocabulary) {
            throw new IllegalArgumentException("beam search needs one score per id (" + vocabulary + "), the model outputs "
                    + program.outputSize());
        }
    }

    /** The ended continuations of {@code prompt}, best first (at most {@code width}). */
    public List<Hypothesis> search(int[] prompt, int width, int maxTokens, int[] endIds) {
        if (prompt.length == 0 || width < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("beam search needs a prompt, a width >= 1 and a maximum length >= 1; got "
                    + prompt.length + " prompt ids, width " + width + ", length " + maxTokens);
        }
        StepProgram.Workspace ws = program.workspace(width);
        program.zeroState(ws, width);
        float[] x = new float[width];
        float[] y = new float[width * vocabulary];
        for (int id : prompt) {
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("prompt id " + id + " is outside the vocabulary [0, " + vocabulary + ")");
            }
            x[0] = id;
            program.step(ws, 1, x, 0, 1, y, 0, vocabulary);
        }
        int state = program.stateSize();
        float[] states = new float[width * state];
        float[] next = new float[width * state];
        List<int[]> beams = new ArrayList<>(List.of(new int[0]));
        double[] scores = {0};
        List<Hypothesis> ended = new ArrayList<>();
        double[] logp = new double[vocabulary];
        for (int len = 0; len < maxTokens && !beams.isEmpty(); len++) {
            int m = beams.size();
            if (len > 0) {
                for (int r = 0; r < m; r++) {
                    int[] b = beams.get(r);
                    x[r] = b[b.length - 1];
                }
                program.step(ws, m, x, 0, 1, y, 0, vocabulary);
            }
            // The best `width` extensions over all beams: (beam, token, score), kept sorted.
            int keep = width;
            double[] bestScore = new double[keep];
            int[] bestBeam = new int[keep];
            int[] bestToken = new int[keep];
            Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
            for (int r = 0; r < m; r++) {
                double lse = Softmax.logSumExp(vocabulary, y, r * vocabulary);
                for (int v = 0; v < vocabulary; v++) {
                    logp[v] = y[r * vocabulary + v] - lse;
                }
                for (int v = 0; v < vocabulary; v++) {
                    double s = scores[r] + logp[v];
                    if (s > bestScore[keep - 1]) {
                        int at = keep - 1;
                        while (at > 0 && s > bestScore[at - 1]) {
                            bestScore[at] = bestScore[at - 1];
                            bestBeam[at] = bestBeam[at - 1];
                            bestToken[at] = bestToken[at - 1];
                            at--;
                        }
                        bestScore[at] = s;
                        bestBeam[at] = r;
                        bestToken[at] = v;
                    }
                }
            }
            for (int r = 0; r < m; r++) {
                program.storeState(ws, r, states, r * state);
            }
            List<int[]> nextBeams = new ArrayList<>();
            double[] nextScores = new double[keep];
            for (int i = 0; i < keep && bestScore[i] > Double.NEGATIVE_INFINITY; i++) {
                int[] parent = beams.get(bestBeam[i]);
                int[] ids = Arrays.copyOf(parent, parent.length + 1);
                ids[parent.length] = bestToken[i];
                boolean end = TextGenerator.contains(endIds, bestToken[i]) || ids.length == maxTokens;
                if (end) {
                    ended.add(new Hypothesis(ids, bestScore[i]));
                } else {
                    System.arraycopy(states, bestBeam[i] * state, next, nextBeams.size() * state, state);
                    nextScores[nextBeams.size()] = bestScore[i];
                    nextBeams.add(ids);
                }
            }
            for (int r = 0; r < nextBeams.size(); r++) {
                program.loadState(ws, r, next, r * state);
            }
            beams = nextBeams;
            scores = Arrays.copyOf(nextScores, nextBeams.size());
            if (ended.size() >= width) {
                break;
            }
        }
        ended.sort((a, b) -> Double.compare(b.score(), a.score()));
        return ended.size() > width ? List.copyOf(ended.subList(0, width)) : List.copyOf(ended);
    }
}
