package dev.unroll.text;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.CellInit;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Embedding;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StateCarry;
import dev.unroll.optim.Adam;
import dev.unroll.optim.GradientClipping;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSums;
import dev.unroll.train.Loss;
import dev.unroll.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A language model: {@code embedding → recurrent (every step) → dense} to the next token's scores,
 * trained on a text as one long stream, as char-rnn does. The stream is cut into {@code streams}
 * parallel rows (row {@code b} is the b-th contiguous part of the text); each update reads the
 * next {@code window} steps of every row and predicts each step's next token (softmax
 * cross-entropy per step); the recurrent state carries on from window to window — the gradient
 * stops at the window's start (truncated backpropagation through time, §17) — so the model sees
 * context longer than a window. The state starts at zero at each epoch.
 *
 * <p>Held-out text is scored the same way (rows, windows, carried state), in bits per token
 * ({@code log2} of the perplexity; bits per byte for a byte vocabulary).
 */
public final class LanguageModel {
    private LanguageModel() {
    }

    /**
     * @param cell      recurrent cell
     * @param embedding embedding width
     * @param hidden    recurrent units
     * @param layers    stacked recurrent layers
     * @param streams   parallel rows of the stream (the batch)
     * @param window    steps per update (the truncation)
     * @param epochs    passes over the text
     * @param lr        Adam's learning rate
     * @param clipNorm  the gradient's global norm is clipped to this (0: no clipping)
     * @param seed      initial weights
     * @param threads   kernel threads
     */
    public record Settings(CellType cell, int embedding, int hidden, int layers, int streams, int window, int epochs, double lr,
                           double clipNorm, long seed, int threads) {
        public Settings {
            if (embedding < 1 || hidden < 1 || layers < 1 || streams < 1 || window < 1 || epochs < 1 || !(lr > 0) || !(clipNorm >= 0)
                    || threads < 1) {
                throw new IllegalArgumentException("language model settings out of range: embedding " + embedding + ", hidden " + hidden
                        + ", layers " + layers + ", streams " + streams + ", window " + window + ", epochs " + epochs + ", lr " + lr
                        + ", clip " + clipNorm + ", threads " + threads);
            }
        }

        /** A byte LSTM of 256 units on a 32-wide embedding; 32 streams, windows of 100, Adam 0.002, clipping at 5. */
        public static Settings defaults() {
            return new Settings(CellType.LSTM, 32, 256, 1, 32, 100, 2, 0.002, 5, 42, Parallel.threads());
        }
    }

    /** What one epoch gave: bits per token on the training stream as it was trained, and on held-out text. */
    public record Epoch(int epoch, double trainBits, double testBits, long tokens, double seconds) {
    }

    /** The model: {@code embedding(vocabulary × e) → cell(e → h) → dense(h → vocabulary)}. */
    public static Sequential build(int vocabulary, Settings s) {
        Rng rng = new Rng(s.seed());
        Sequential m = new Sequential();
        m.add("embedding", new Embedding(vocabulary, s.embedding(), rng));
        m.add("rnn", Recurrent.builder(s.cell(), s.embedding(), s.hidden()).layers(s.layers()).init(CellInit.pytorch())
                .returnSequences(true).rng(rng).build());
        m.add("fc", new Dense(s.hidden(), vocabulary, rng));
        return m;
    }

    /** The stream as {@code rows} rows: inputs and next-token targets, {@code (n − 1) / rows} steps each. */
    static int rowLength(int tokens, int rows) {
        int per = (tokens - 1) / rows;
        if (per < 1) {
            throw new IllegalArgumentException("a stream of " + tokens + " tokens is too short for " + rows + " rows (it needs at least "
                    + (rows + 1) + ")");
        }
        return per;
    }

    /** The window {@code [t0, t0 + steps)} of every row: ids {@code [rows, steps, 1]}, next ids {@code [rows, steps]}. */
    static Batch window(int[] ids, int rows, int per, int t0, int steps) {
        float[] x = new float[rows * steps];
        float[] y = new float[rows * steps];
        for (int b = 0; b < rows; b++) {
            int base = b * per + t0;
            for (int t = 0; t < steps; t++) {
                x[b * steps + t] = ids[base + t];
                y[b * steps + t] = ids[base + t + 1];
            }
        }
        return new Batch(Tensor.of(x, rows, steps, 1), Tensor.of(y, rows, steps), null, null);
    }

    /** Progress inside an epoch: windows done of the epoch's windows, and bits per token so far. */
    public record Window(int epoch, int done, int windows, double trainBits) {
    }

    /** Trains on {@code train} (ids), scoring {@code test} (or null) after each epoch. */
    public static List<Epoch> fit(Sequential model, int[] train, int[] test, Settings s, Consumer<Epoch> listener) {
        return fit(model, train, test, s, listener, w -> { });
    }

    /** As above, telling {@code windows} after every update. */
    public static List<Epoch> fit(Sequential model, int[] train, int[] test, Settings s, Consumer<Epoch> listener,
                                  Consumer<Window> windows) {
        Parallel.setThreads(s.threads());
        Adam adam = new Adam(model, s.lr());
        if (s.clipNorm() > 0) {
            adam.clipping(GradientClipping.byGlobalNorm((float) s.clipNorm()));
        }
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), adam).threads(s.threads()).seed(s.seed()).build();
        Rng dropout = new Rng(s.seed() ^ 0x5DEECE66DL);
        int rows = s.streams();
        int per = rowLength(train.length, rows);
        List<Epoch> history = new ArrayList<>();
        int perEpoch = (per + s.window() - 1) / s.window();
        for (int e = 1; e <= s.epochs(); e++) {
            long start = System.nanoTime();
            StateCarry carry = new StateCarry();
            int done = 0;
            double nats = 0;
            long tokens = 0;
            for (int t0 = 0; t0 < per; t0 += s.window()) {
                int steps = Math.min(s.window(), per - t0);
                Batch b = window(train, rows, per, t0, steps);
                BatchSums sums = trainer.computeGradients(b, Context.training(null, dropout).withCarry(carry));
                trainer.applyGradients(sums);
                carry.detach();
                nats += sums.lossSum();
                tokens += (long) rows * steps;
                windows.accept(new Window(e, ++done, perEpoch, nats / tokens / Math.log(2)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double testBits = test == null ? Double.NaN : bitsPerToken(model, test, 16, 256);
            Epoch ep = new Epoch(e, nats / tokens / Math.log(2), testBits, tokens, seconds);
            history.add(ep);
            listener.accept(ep);
        }
        return history;
    }

    /**
     * The mean of {@code −log2 p(next token)} over {@code ids}, read as {@code rows} rows in windows of
     * {@code window} steps with the state carried (a row's first token is not predicted).
     */
    public static double bitsPerToken(Sequential model, int[] ids, int rows, int window) {
        int r = Math.max(1, Math.min(rows, (ids.length - 1)));
        int per = rowLength(ids.length, r);
        StateCarry carry = new StateCarry();
        double nats = 0;
        long count = 0;
        try (var scope = Autograd.noGrad()) {
            for (int t0 = 0; t0 < per; t0 += window) {
                int steps = Math.min(window, per - t0);
                Batch b = window(ids, r, per, t0, steps);
                Variable logits = model.forward(Variable.constant(b.inputs()), Context.inference().withCarry(carry));
                int[] next = new int[r * steps];
                for (int i = 0; i < next.length; i++) {
                    next[i] = (int) b.targets().data()[i];
                }
                nats += Losses.softmaxCrossEntropy(logits, next).value().get() * (double) next.length;
                count += next.length;
            }
        }
        return nats / count / Math.log(2);
    }
}
