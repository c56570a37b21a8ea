package dev.unroll.text;

import dev.unroll.nn.Embedding;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StreamingModel;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Generates tokens one at a time from a language model on its carried state (the
 * {@link StreamingModel} path: one step per token, no window re-run): the prompt's ids advance the
 * state, then each new token is drawn by a {@link Sampler} from the scores of the last step and
 * fed back, until the maximum length or a stop id. One thread at a time.
 */
public final class TextGenerator {
    private final StreamingModel stream;
    private final int vocabulary;
    private final float[] in = new float[1];

    /** A generator over {@code model}, which must start with an {@link Embedding} and output one score per id. */
    public TextGenerator(Sequential model) {
        if (model.layers().isEmpty() || !(model.layers().get(0) instanceof Embedding e)) {
            throw new IllegalArgumentException("text generation needs a model that starts with an embedding, got " + model);
        }
        this.stream = new StreamingModel(model, 1);
        this.vocabulary = e.vocabulary();
        if (stream.outputSize() != vocabulary) {
            throw new IllegalArgumentException("text generation needs one score per id of the vocabulary (" + vocabulary + "), the model "
                    + "outputs " + stream.outputSize());
        }
    }

    public int vocabulary() {
        return vocabulary;
    }

    /**
     * Generates up to {@code maxTokens} ids after {@code prompt} (at least one id), handing each to
     * {@code onToken} as it is drawn; stops after a token in {@code stopIds} (included). Returns
     * the generated ids. Starts from zero states.
     */
    public int[] generate(int[] prompt, int maxTokens, int[] stopIds, Sampler.Options options, IntConsumer onToken) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generation needs a prompt of at least one token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maximum length must be >= 0, got " + maxTokens);
        }
        Sampler sampler = new Sampler(vocabulary, options);
        stream.reset();
        float[] scores = null;
        for (int id : prompt) {
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("prompt id " + id + " is outside the vocabulary [0, " + vocabulary + ")");
            }
            sampler.observe(id);
            in[0] = id;
            scores = stream.step(in);
        }
        int[] out = new int[maxTokens];
        int n = 0;
        while (n < maxTokens) {
            int next = sampler.next(scores, 0);
            out[n++] = next;
            sampler.observe(next);
            onToken.accept(next);
            if (contains(stopIds, next) || n == maxTokens) {
                break;
            }
            in[0] = next;
            scores = stream.step(in);
        }
        return Arrays.copyOf(out, n);
    }

    static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }
}
