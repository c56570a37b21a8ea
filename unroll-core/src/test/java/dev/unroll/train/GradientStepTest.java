package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gradient-only step: summed losses and gradients, whose chunks add up to the whole batch. */
class GradientStepTest {

    private static Sequential forecaster() {
        Rng rng = new Rng(3);
        return Sequential.of(Recurrent.builder(CellType.LSTM, 1, 6).activation(Activation.TANH).rng(rng).build(), new Dense(6, 1, rng));
    }

    private static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        Arrays.setAll(idx, i -> from + i);
        return idx;
    }

    /** Gradient sums of the chunks [0, 5), [5, 12), [12, 16) added in order, against the whole batch. */
    private static void chunksAddUpToTheWholeBatch(Loss loss, SequenceDataset data, Metric metric) {
        Sequential model = forecaster();
        GradientStep step = new GradientStep(model, loss, List.of(metric));
        float[] g = model.flatParameters().grads();
        float[] sum = new float[g.length];
        BatchSums total = BatchSums.zero(1);
        for (int[] chunk : List.of(range(0, 5), range(5, 12), range(12, 16))) {
            Batch b = data.batch(chunk);
            total = total.plus(step.run(b, Context.training(b.lengths(), null)));
            for (int i = 0; i < g.length; i++) {
                sum[i] += g[i];
            }
        }
        Batch whole = data.batch(range(0, 16));
        BatchSums all = step.run(whole, Context.training(whole.lengths(), null));
        assertEquals(all.count(), total.count());
        assertEquals(16, total.sequences());
        assertEquals(all.lossSum(), total.lossSum(), 1e-5 * Math.abs(all.lossSum()));
        assertArrayEquals(all.metricSums()[0], total.metricSums()[0], 1e-4);
        // The loss's own mean gradient times the count is the summed gradient.
        assertEquals(loss.compute(model.forward(dev.unroll.autograd.Variable.constant(whole.inputs()),
                Context.inference(whole.lengths())), whole).value().get(), all.meanLoss(), 1e-6);
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i], sum[i], 1e-5f * Math.max(1f, Math.abs(g[i])), "gradient element " + i);
        }
    }

    @Test
    void chunksOfAPerStepLossWithLengthsAddUp() {
        int[] lengths = {10, 3, 7, 1, 10, 9, 2, 4, 6, 8, 10, 5, 1, 3, 10, 7};
        SequenceDataset data = ToyData.delayedEcho(16, 10, 4).withLengths(lengths);
        chunksAddUpToTheWholeBatch(Loss.meanSquaredError(), data, Metric.meanSquaredError());
        // A window most short sequences miss: the chunk [0, 5) still has terms, a chunk may have none.
        chunksAddUpToTheWholeBatch(Loss.meanSquaredError().onSteps(2, 9), data, Metric.meanSquaredError());
        chunksAddUpToTheWholeBatch(Loss.meanAbsoluteError(), data, Metric.meanSquaredError());
    }

    @Test
    void theCountIsTheDenominatorOfTheMean() {
        int[] lengths = {4, 1, 3};
        Batch batch = new Batch(dev.unroll.tensor.Tensor.zeros(3, 4, 2), dev.unroll.tensor.Tensor.zeros(3, 4, 2), null, lengths);
        assertEquals((4 + 1 + 3) * 2, Loss.meanSquaredError().count(new int[] {3, 4, 2}, batch));
        assertEquals((2 + 0 + 1) * 2, Loss.meanSquaredError().onSteps(2, 4).count(new int[] {3, 4, 2}, batch));
        assertEquals(3 * 4 * 2, Loss.meanSquaredError().count(new int[] {3, 4, 2}, new Batch(batch.inputs(), batch.targets(), null, null)));
        assertEquals((4 + 1 + 3) * 2, Loss.meanAbsoluteError().count(new int[] {3, 4, 2}, batch));
        assertEquals(3 * 6, Loss.meanAbsoluteError().count(new int[] {3, 6}, batch), "a sequence-to-vector prediction: every element");
        Batch labelled = new Batch(batch.inputs(), null, new int[] {0, 1, 1}, null);
        assertEquals(3, Loss.softmaxCrossEntropy().count(new int[] {3, 5}, labelled));
        Batch perStep = new Batch(batch.inputs(), dev.unroll.tensor.Tensor.zeros(3, 4), null, lengths);
        assertEquals(8, Loss.softmaxCrossEntropy().count(new int[] {3, 4, 5}, perStep));
    }

    @Test
    void aChunkWithoutLossTermsContributesNothing() {
        Sequential model = forecaster();
        SequenceDataset data = ToyData.delayedEcho(4, 10, 4).withLengths(new int[] {2, 1, 2, 2});
        GradientStep step = new GradientStep(model, Loss.meanSquaredError().onSteps(5, 9), List.of());
        Batch b = data.batch(range(0, 4));
        BatchSums s = step.run(b, Context.training(b.lengths(), null));
        assertEquals(0, s.count());
        assertEquals(0, s.lossSum());
        for (float v : model.flatParameters().grads()) {
            assertEquals(0f, v);
        }
    }
}
