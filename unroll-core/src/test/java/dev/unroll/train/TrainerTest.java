package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private static Sequential classifier(CellType type, float dropout) {
        Rng rng = new Rng(1);
        return Sequential.of(
                Recurrent.builder(type, 2, 16).returnSequences(false).inputDropout(dropout).rng(rng).build(),
                new Dense(16, 2, rng));
    }

    private static Trainer trainer(Sequential model, int epochs, int threads) {
        return Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.01))
                .batchSize(32).epochs(epochs).seed(7).threads(threads).metrics(Metric.accuracy()).build();
    }

    @Test
    void learnsASimpleSequenceClassification() {
        SequenceDataset train = ToyData.signOfSum(512, 8, 2, 1);
        SequenceDataset test = ToyData.signOfSum(256, 8, 2, 2);
        Sequential model = classifier(CellType.GRU, 0f);
        List<Progress> history = trainer(model, 12, 2).fit(train, test);
        assertEquals(12, history.size());
        Progress last = history.get(history.size() - 1);
        assertTrue(last.validationMetrics().get("accuracy") > 0.9, "validation accuracy " + last.validationMetrics());
        assertTrue(last.trainLoss() < history.get(0).trainLoss(), "loss should fall: " + history);
    }

    @Test
    void sameSeedSameBitsWhateverTheThreadCount() {
        int saved = Parallel.threads();
        try {
            SequenceDataset train = ToyData.signOfSum(200, 6, 2, 3);
            Sequential a = classifier(CellType.LSTM, 0.2f);
            trainer(a, 2, 1).fit(train, null);
            Sequential b = classifier(CellType.LSTM, 0.2f);
            trainer(b, 2, 3).fit(train, null);
            assertArrayEquals(a.flatParameters().values(), b.flatParameters().values());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void resumingFromACheckpointIsBitIdenticalToAnUninterruptedRun() throws Exception {
        SequenceDataset train = ToyData.signOfSum(200, 6, 2, 4);
        Sequential straight = classifier(CellType.RNN, 0.1f);
        trainer(straight, 3, 2).fit(train, null);

        Sequential first = classifier(CellType.RNN, 0.1f);
        Trainer t1 = trainer(first, 3, 2);
        Trainer interrupted = Trainer.builder(first, Loss.softmaxCrossEntropy(), t1.optimizer())
                .batchSize(32).epochs(1).seed(7).build();
        interrupted.fit(train, null);
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveTraining(interrupted, file);

        Sequential fresh = classifier(CellType.RNN, 0.1f);
        Trainer resumed = trainer(fresh, 3, 2);
        Checkpoint.resume(resumed, file);
        List<Progress> rest = resumed.fit(train, null);
        assertEquals(2, rest.size());
        assertArrayEquals(straight.flatParameters().values(), fresh.flatParameters().values());
    }

    /** A crash right after a given update, as a driver restart would be. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void resumingFromACheckpointTakenMidEpochIsBitIdentical() throws Exception {
        SequenceDataset train = ToyData.signOfSum(200, 6, 2, 4);
        Sequential straight = classifier(CellType.LSTM, 0.1f);
        trainer(straight, 3, 2).fit(train, null);

        // 7 batches per epoch: save after update 10 (batch 3 of epoch 2), crash after update 12.
        Path file = dir.resolve("mid.safetensors");
        Sequential first = classifier(CellType.LSTM, 0.1f);
        Trainer[] holder = new Trainer[1];
        holder[0] = Trainer.builder(first, Loss.softmaxCrossEntropy(), new Adam(first, 0.01)).batchSize(32).epochs(3).seed(7)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(long iteration, double loss) {
                        try {
                            if (iteration == 10) {
                                Checkpoint.saveTraining(holder[0], file);
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        if (iteration == 12) {
                            throw new Crash();
                        }
                    }
                }).build();
        assertThrows(Crash.class, () -> holder[0].fit(train, null));

        Sequential fresh = classifier(CellType.LSTM, 0.1f);
        Trainer resumed = trainer(fresh, 3, 2);
        Checkpoint.resume(resumed, file);
        assertEquals(new Trainer.State(1, 10, resumed.state().dataRngState(), resumed.state().dropoutRngState(), 3), resumed.state());
        List<Progress> rest = resumed.fit(train, null);
        assertEquals(List.of(2, 3), rest.stream().map(Progress::epoch).toList());
        assertEquals(21, rest.get(1).iteration());
        assertArrayEquals(straight.flatParameters().values(), fresh.flatParameters().values());
    }

    /** Runs the trainer's own gradient-only step on each batch, chunk by chunk when asked. */
    private static GradientSource inChunks(SequenceDataset data, Trainer trainer, int chunk) {
        return new GradientSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public BatchSums gradients(int[] indices, Rng dropout) {
                float[] g = trainer.model().flatParameters().grads();
                float[] sum = new float[g.length];
                BatchSums total = BatchSums.zero(trainer.metrics().size());
                for (int from = 0; from < indices.length; from += chunk) {
                    Batch b = data.batch(java.util.Arrays.copyOfRange(indices, from, Math.min(indices.length, from + chunk)));
                    total = total.plus(trainer.computeGradients(b, Context.training(b.lengths(), dropout)));
                    for (int i = 0; i < g.length; i++) {
                        sum[i] += g[i];
                    }
                }
                System.arraycopy(sum, 0, g, 0, g.length);
                return total;
            }
        };
    }

    @Test
    void aGradientSourceDrivesTheSameLoop() {
        SequenceDataset train = ToyData.signOfSum(200, 6, 2, 5);
        SequenceDataset test = ToyData.signOfSum(64, 6, 2, 6);
        Sequential local = classifier(CellType.GRU, 0f);
        List<Progress> expected = trainer(local, 2, 2).fit(train, test);

        // Whole batches through the source: the same bits and the same reports.
        Sequential whole = classifier(CellType.GRU, 0f);
        Trainer t = trainer(whole, 2, 2);
        List<Progress> got = t.fit(inChunks(train, t, 32), test);
        assertArrayEquals(local.flatParameters().values(), whole.flatParameters().values());
        assertEquals(expected.stream().map(Progress::trainLoss).toList(), got.stream().map(Progress::trainLoss).toList());
        assertEquals(expected.stream().map(Progress::validationMetrics).toList(), got.stream().map(Progress::validationMetrics).toList());

        // Chunks of 5 added in order: the same training up to rounding.
        Sequential chunked = classifier(CellType.GRU, 0f);
        Trainer c = trainer(chunked, 2, 2);
        List<Progress> h = c.fit(inChunks(train, c, 5), test);
        float[] a = local.flatParameters().values();
        float[] b = chunked.flatParameters().values();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f, "parameter " + i);
        }
        assertEquals(expected.get(1).trainMetrics().get("accuracy"), h.get(1).trainMetrics().get("accuracy"), 1e-9);
    }

    @Test
    void truncatedBpttNeedsTheBatchInMemory() {
        SequenceDataset data = ToyData.delayedEcho(8, 10, 5);
        Sequential model = forecaster();
        Trainer t = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01)).batchSize(8)
                .truncatedBptt(TruncatedBptt.windows(5)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(inChunks(data, t, 4), null));
        assertTrue(e.getMessage().contains("truncated BPTT"), e.getMessage());
    }

    @Test
    void aNanLossStopsTrainingNamingTheStep() {
        Tensor x = Tensor.zeros(4, 3, 2);
        x.set(Float.NaN, 2, 1, 0);
        SequenceDataset data = SequenceDataset.classification(x, new int[] {0, 1, 0, 1});
        Sequential model = classifier(CellType.RNN, 0f);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.01)).batchSize(4).build().fit(data, null));
        assertTrue(e.getMessage().contains("epoch 1, iteration 1") && e.getMessage().contains("loss is NaN"), e.getMessage());
    }

    /** A layer whose backward produces a NaN gradient for its parameter, with a finite loss. */
    private static final class PoisonedGradient extends Layer {
        final Parameter scale = addParameter(new Parameter("scale", Tensor.ones(1)));

        @Override
        public Variable forward(Variable x, Context context) {
            Variable s = scale.variable();
            Tensor y = x.value().copy();
            return Autograd.record("poison", y, dy -> s.gradForAccumulation().data()[s.gradForAccumulation().offset()] = Float.NaN, x, s);
        }

        @Override
        public String kind() {
            return "poison";
        }

        @Override
        public Map<String, Object> config() {
            return Map.of();
        }
    }

    @Test
    void aNanGradientNamesTheParameter() {
        Rng rng = new Rng(1);
        Sequential model = new Sequential()
                .add("rnn", Recurrent.builder(CellType.RNN, 2, 4).returnSequences(false).rng(rng).build())
                .add("poison", new PoisonedGradient())
                .add("fc", new Dense(4, 2, rng));
        SequenceDataset data = ToyData.signOfSum(8, 3, 2, 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.01)).batchSize(8).build().fit(data, null));
        assertTrue(e.getMessage().contains("gradient of poison.scale is NaN"), e.getMessage());
    }

    private static Sequential forecaster() {
        Rng rng = new Rng(3);
        return Sequential.of(
                Recurrent.builder(CellType.RNN, 1, 8).activation(Activation.TANH).rng(rng).build(),
                new Dense(8, 1, rng));
    }

    @Test
    void truncatedBpttWithAWindowCoveringTheSequenceEqualsFullBptt() {
        SequenceDataset data = ToyData.delayedEcho(64, 10, 5);
        Sequential full = forecaster();
        Trainer.builder(full, Loss.meanSquaredError(), new Adam(full, 0.01)).batchSize(16).epochs(2).build().fit(data, null);
        Sequential windowed = forecaster();
        Trainer.builder(windowed, Loss.meanSquaredError(), new Adam(windowed, 0.01)).batchSize(16).epochs(2)
                .truncatedBptt(TruncatedBptt.windows(10)).build().fit(data, null);
        assertArrayEquals(full.flatParameters().values(), windowed.flatParameters().values());
    }

    @Test
    void truncatedBpttCarriesTheStateAndLearns() {
        SequenceDataset data = ToyData.delayedEcho(256, 20, 6);
        Sequential model = forecaster();
        Trainer t = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.02)).batchSize(32).epochs(15)
                .truncatedBptt(new TruncatedBptt(5, 3)).metrics(Metric.meanSquaredError()).build();
        List<Progress> h = t.fit(data, data);
        // Every window is one update: 8 batches × 4 windows × 15 epochs.
        assertEquals(8 * 4 * 15, h.get(h.size() - 1).iteration());
        assertTrue(h.get(h.size() - 1).validationMetrics().get("mse") < 0.05, "mse " + h.get(h.size() - 1));
    }

    @Test
    void aTruncationWindowLongerThanTheSequenceIsAnError() {
        SequenceDataset data = ToyData.delayedEcho(8, 10, 5);
        Sequential model = forecaster();
        Trainer t = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01)).batchSize(8)
                .truncatedBptt(TruncatedBptt.windows(12)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(data, null));
        assertTrue(e.getMessage().contains("k1 = 12") && e.getMessage().contains("10 steps"), e.getMessage());
    }

    @Test
    void iterationTrainingReportsEveryPeriod() {
        Sequential model = forecaster();
        SequenceDataset pool = ToyData.delayedEcho(64, 10, 8);
        BatchSource source = rng -> {
            int[] idx = new int[16];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = rng.nextInt(pool.size());
            }
            return pool.batch(idx);
        };
        List<Long> steps = new ArrayList<>();
        Trainer t = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(long iteration, double loss) {
                        steps.add(iteration);
                    }
                }).build();
        List<Progress> h = t.fit(source, 250, 100, null);
        assertEquals(List.of(100L, 200L, 250L), h.stream().map(Progress::iteration).toList());
        assertEquals(250, steps.size());
    }

    @Test
    void earlyStoppingStopsAndTheBestCheckpointIsKept() throws Exception {
        SequenceDataset train = ToyData.signOfSum(256, 8, 2, 11);
        SequenceDataset test = ToyData.signOfSum(128, 8, 2, 12);
        Sequential model = classifier(CellType.GRU, 0f);
        Path best = dir.resolve("best.safetensors");
        dev.unroll.io.BestCheckpoint keep = new dev.unroll.io.BestCheckpoint(model, best, "accuracy", true);
        // A learning rate so high that validation stops improving quickly.
        Trainer t = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.5))
                .batchSize(32).epochs(40).metrics(Metric.accuracy()).callbacks(keep, new EarlyStopping(2, 0)).build();
        List<Progress> h = t.fit(train, test);
        assertTrue(h.size() < 40, "early stopping ended the run after " + h.size() + " epochs");
        double bestSeen = h.stream().mapToDouble(p -> p.validationMetrics().get("accuracy")).max().orElseThrow();
        assertEquals(bestSeen, keep.best());
        Sequential saved = (Sequential) Checkpoint.load(best);
        Trainer evaluator = Trainer.builder(saved, Loss.softmaxCrossEntropy(), new Adam(saved, 0.5))
                .metrics(Metric.accuracy()).build();
        assertEquals(bestSeen, evaluator.evaluate(test).metrics().get("accuracy"), 1e-9);
    }

    @Test
    void badSettingsAreRejected() {
        Sequential model = forecaster();
        Adam adam = new Adam(model, 0.01);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, Loss.meanSquaredError(), adam).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, Loss.meanSquaredError(), adam).epochs(-1).build());
        assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(3, 4));
    }
}
