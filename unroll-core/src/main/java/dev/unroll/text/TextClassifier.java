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
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSums;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One label per text: {@code embedding → recurrent (final state at each text's length) → dense}
 * to class scores, trained with softmax cross-entropy and Adam on batches of similar lengths
 * ({@link TokenSequences#shuffledBatches}), so padding costs little. Seeded: the same settings and
 * seed give the same bits whatever the thread count.
 */
public final class TextClassifier {
    private TextClassifier() {
    }

    /**
     * @param cell      recurrent cell
     * @param embedding embedding width
     * @param hidden    recurrent units
     * @param layers    stacked recurrent layers
     * @param batch     texts per batch
     * @param epochs    passes over the training texts
     * @param lr        Adam's learning rate
     * @param seed      initial weights and batch order
     * @param threads   kernel threads
     */
    public record Settings(CellType cell, int embedding, int hidden, int layers, int batch, int epochs, double lr, long seed,
                           int threads) {
        public Settings {
            if (embedding < 1 || hidden < 1 || layers < 1 || batch < 1 || epochs < 1 || !(lr > 0) || threads < 1) {
                throw new IllegalArgumentException("text classifier settings must be positive: " + embedding + ", " + hidden + ", "
                        + layers + ", " + batch + ", " + epochs + ", " + lr + ", " + threads);
            }
        }

        /** A character GRU of 128 units on a 32-wide embedding, Adam 0.001, batches of 64, 10 epochs. */
        public static Settings defaults() {
            return new Settings(CellType.GRU, 32, 128, 1, 64, 10, 0.001, 42, Parallel.threads());
        }
    }

    /** What one epoch gave (test figures NaN without test texts; seconds: the training alone). */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy, double seconds) {
    }

    /** Predictions against the truth, and the mean cross-entropy. */
    public record Evaluation(ClassificationReport report, double loss) {
    }

    /** The model: {@code embedding(vocabulary × e, padding padId) → cell(e → h) final state → dense(h → classes)}. */
    public static Sequential build(int vocabulary, int padId, int classes, Settings s) {
        Rng rng = new Rng(s.seed());
        Sequential m = new Sequential();
        m.add("embedding", new Embedding(vocabulary, s.embedding(), padId, false, rng));
        m.add("rnn", Recurrent.builder(s.cell(), s.embedding(), s.hidden()).layers(s.layers()).init(CellInit.pytorch())
                .returnSequences(false).rng(rng).build());
        m.add("fc", new Dense(s.hidden(), classes, rng));
        return m;
    }

    /**
     * Trains {@code model} for the settings' epochs, reporting each epoch (with the test accuracy
     * when {@code test} is not null) to {@code listener}.
     */
    public static List<Epoch> fit(Sequential model, TokenSequences train, TokenSequences test, Settings s, Consumer<Epoch> listener) {
        if (train.classes() == null) {
            throw new IllegalArgumentException("training texts need classes");
        }
        Parallel.setThreads(s.threads());
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, s.lr()))
                .metrics(Metric.accuracy()).threads(s.threads()).seed(s.seed()).build();
        Rng order = new Rng(s.seed() ^ 0x9E3779B97F4A7C15L);
        Rng dropout = new Rng(s.seed() ^ 0x5DEECE66DL);
        List<Epoch> history = new ArrayList<>();
        for (int e = 1; e <= s.epochs(); e++) {
            long start = System.nanoTime();
            double loss = 0;
            double right = 0;
            for (int[] indices : train.shuffledBatches(s.batch(), order)) {
                Batch b = train.batch(indices);
                BatchSums sums = trainer.computeGradients(b, Context.training(b.lengths(), dropout));
                trainer.applyGradients(sums);
                loss += sums.lossSum();
                right += sums.metricSums()[0][0];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation t = test == null ? null : evaluate(model, test, Math.max(s.batch(), 256));
            Epoch ep = new Epoch(e, loss / train.size(), right / train.size(), t == null ? Double.NaN : t.loss(),
                    t == null ? Double.NaN : t.report().accuracy(), seconds);
            history.add(ep);
            listener.accept(ep);
        }
        return history;
    }

    /** The most likely class of each sequence. */
    public static int[] predict(Sequential model, TokenSequences data, int batch) {
        return run(model, data, batch, null);
    }

    /** Predictions against the sequences' classes, and the mean cross-entropy. */
    public static Evaluation evaluate(Sequential model, TokenSequences data, int batch) {
        int[] truth = data.classes();
        if (truth == null) {
            throw new IllegalArgumentException("evaluation needs classes");
        }
        double[] loss = new double[1];
        int[] predicted = run(model, data, batch, loss);
        int classes = 0;
        for (int i = 0; i < truth.length; i++) {
            classes = Math.max(classes, Math.max(truth[i], predicted[i]) + 1);
        }
        if (model.layers().get(model.layers().size() - 1) instanceof Dense d) {
            classes = Math.max(classes, d.outputSize());
        }
        return new Evaluation(ClassificationReport.of(truth, predicted, classes), loss[0] / truth.length);
    }

    /** Predictions; with {@code lossSum} not null, also the summed cross-entropy against the classes. */
    private static int[] run(Sequential model, TokenSequences data, int batch, double[] lossSum) {
        int[] out = new int[data.size()];
        try (var scope = Autograd.noGrad()) {
            for (int[] indices : data.sortedBatches(batch)) {
                Batch b = data.batch(indices);
                Variable logits = model.forward(Variable.constant(b.inputs()), Context.inference(b.lengths()));
                Tensor z = logits.value();
                int classes = z.dim(1);
                for (int i = 0; i < indices.length; i++) {
                    out[indices[i]] = argmax(z.data(), z.offset() + i * classes, classes);
                }
                if (lossSum != null) {
                    lossSum[0] += Losses.softmaxCrossEntropy(logits, b.labels()).value().get() * (double) indices.length;
                }
            }
        }
        return out;
    }

    static int argmax(float[] z, int off, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (z[off + c] > z[off + best]) {
                best = c;
            }
        }
        return best;
    }
}
