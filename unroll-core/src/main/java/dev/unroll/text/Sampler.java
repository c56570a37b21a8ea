package dev.unroll.text;

import dev.unroll.tensor.Rng;
import java.util.Arrays;

/**
 * Picks the next token from a model's scores: greedy (temperature 0), or a draw from
 * {@code softmax(z / temperature)} restricted to the {@code topK} most likely tokens and to the
 * smallest set whose probability reaches {@code topP} (nucleus sampling), after a repetition
 * penalty on the tokens already in the text (CTRL's: a positive score divided by it, a negative
 * one multiplied). Draws come from a seeded {@link Rng}: the same seed gives the same text.
 * Allocates nothing per token; one thread at a time.
 */
public final class Sampler {
    /**
     * @param temperature       0 for greedy, else > 0 (1: the model's distribution)
     * @param topK              keep the k most likely tokens (0: all)
     * @param topP              keep the most likely tokens up to this total probability, in (0, 1]
     * @param repetitionPenalty ≥ 1 (1: none)
     * @param seed              the draws
     */
    public record Options(double temperature, int topK, double topP, double repetitionPenalty, long seed) {
        public Options {
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be 0 (greedy) or a positive number, got " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be 0 (all tokens) or positive, got " + topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
            }
            if (!(repetitionPenalty >= 1) || Double.isInfinite(repetitionPenalty)) {
                throw new IllegalArgumentException("repetition penalty must be at least 1, got " + repetitionPenalty);
            }
        }

        /** Greedy decoding. */
        public static Options greedy() {
            return new Options(0, 0, 1, 1, 0);
        }

        /** Plain sampling from the model's distribution. */
        public static Options sampling(long seed) {
            return new Options(1, 0, 1, 1, seed);
        }
    }

    private final Options options;
    private final Rng rng;
    private final double[] p;
    /** Sort keys: a probability's float bits above, the complement of its id below (ties: smaller id first). */
    private final long[] order;
    private final boolean[] seen;
    private final float[] z;

    public Sampler(int vocabulary, Options options) {
        this.options = options;
        this.rng = new Rng(options.seed());
        this.p = new double[vocabulary];
        this.order = new long[vocabulary];
        this.seen = new boolean[vocabulary];
        this.z = new float[vocabulary];
    }

    private static int id(long key) {
        return (int) (0xFFFFFFFFL - (key & 0xFFFFFFFFL));
    }

    /** Marks a token as present in the text (for the repetition penalty). */
    public void observe(int id) {
        seen[id] = true;
    }

    /** The next token from {@code logits[offset .. offset + vocabulary)} (not modified). */
    public int next(float[] logits, int offset) {
        int n = p.length;
        System.arraycopy(logits, offset, z, 0, n);
        double penalty = options.repetitionPenalty();
        if (penalty != 1) {
            for (int i = 0; i < n; i++) {
                if (seen[i]) {
                    z[i] = (float) (z[i] > 0 ? z[i] / penalty : z[i] * penalty);
                }
            }
        }
        if (options.temperature() == 0) {
            return TextClassifier.argmax(z, 0, n);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((z[i] - max) / options.temperature());
            sum += p[i];
        }
        int k = options.topK() == 0 ? n : Math.min(options.topK(), n);
        if (k < n || options.topP() < 1) {
            // Ascending keys: the most likely token last; equal (float) probabilities by id. Primitive
            // longs: no boxing, no comparator, a few microseconds for 256 tokens.
            for (int i = 0; i < n; i++) {
                order[i] = ((long) Float.floatToIntBits((float) p[i]) << 32) | (0xFFFFFFFFL - i);
            }
            Arrays.sort(order);
            double kept = 0;
            int keep = 0;
            while (keep < k) {
                kept += p[id(order[n - 1 - keep])];
                keep++;
                if (kept >= options.topP() * sum) {
                    break;
                }
            }
            for (int i = keep; i < n; i++) {
                p[id(order[n - 1 - i])] = 0;
            }
            sum = kept;
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] > 0) {
                acc += p[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
    }
}
