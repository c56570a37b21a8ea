package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Losses over all steps, a window of steps (seed §9), and valid steps only (seed §8). */
class LossTest {
    private final Tensor prediction = Tensor.uniform(new Rng(1), -1f, 1f, 3, 5, 2);
    private final Tensor target = Tensor.uniform(new Rng(2), -1f, 1f, 3, 5, 2);

    private double manualMse(int from, int to, int[] lengths) {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < 3; b++) {
            for (int t = from; t < to; t++) {
                if (lengths != null && t >= lengths[b]) {
                    continue;
                }
                for (int f = 0; f < 2; f++) {
                    double d = prediction.get(b, t, f) - target.get(b, t, f);
                    sum += d * d;
                    count++;
                }
            }
        }
        return sum / count;
    }

    private double mse(Loss loss, int[] lengths) {
        Batch batch = new Batch(Tensor.zeros(3, 5, 1), target, null, lengths);
        return loss.compute(Variable.constant(prediction), batch).value().get();
    }

    @Test
    void allSteps() {
        assertEquals(manualMse(0, 5, null), mse(Loss.meanSquaredError(), null), 1e-6);
    }

    @Test
    void onlySomeSteps() {
        assertEquals(manualMse(2, 5, null), mse(Loss.meanSquaredError().onSteps(2, 5), null), 1e-6);
    }

    @Test
    void onlyValidSteps() {
        int[] lengths = {5, 1, 3};
        assertEquals(manualMse(0, 5, lengths), mse(Loss.meanSquaredError(), lengths), 1e-6);
        assertEquals(manualMse(2, 5, lengths), mse(Loss.meanSquaredError().onSteps(2, 5), lengths), 1e-6);
    }

    @Test
    void perStepCrossEntropyIgnoresPadding() {
        Tensor logits = Tensor.uniform(new Rng(3), -1f, 1f, 2, 3, 4);
        Tensor classes = Tensor.of(new float[] {1, 2, 3, 0, 3, 3}, 2, 3);
        Batch batch = new Batch(Tensor.zeros(2, 3, 1), classes, null, new int[] {3, 1});
        double loss = Loss.softmaxCrossEntropy().compute(Variable.constant(logits), batch).value().get();
        double manual = 0;
        int[][] valid = {{0, 0}, {0, 1}, {0, 2}, {1, 0}};
        for (int[] bt : valid) {
            double lse = 0;
            for (int c = 0; c < 4; c++) {
                lse += Math.exp(logits.get(bt[0], bt[1], c));
            }
            manual += Math.log(lse) - logits.get(bt[0], bt[1], (int) classes.get(bt[0], bt[1]));
        }
        assertEquals(manual / 4, loss, 1e-5);
    }

    @Test
    void targetsMayHaveOtherStepsThanTheInputsWithoutLengths() {
        // A sequence-to-sequence batch: 7 input steps, 5 target steps (seed §3).
        Batch batch = new Batch(Tensor.zeros(3, 7, 1), target, null, null);
        assertEquals(manualMse(0, 5, null), Loss.meanSquaredError().compute(Variable.constant(prediction), batch).value().get(), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batch(Tensor.zeros(3, 7, 1), target, null, new int[] {7, 7, 7}));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("7 steps"), e.getMessage());
    }

    @Test
    void aWindowBeyondThePredictionIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> mse(Loss.meanSquaredError().onSteps(3, 7), null));
        assertThrows(IllegalArgumentException.class, () -> Loss.meanSquaredError().onSteps(3, 3));
    }
}
