package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Seed §17, last remedy — truncated backpropagation through time, and what it trades away. The
 * state still flows across windows, but the gradient does not: a dependency longer than the
 * window cannot be learned. Task: on sequences of 32 steps, output at step t the input of step
 * t − 6.
 */
class TruncatedBpttRemedyTest {
    private static final int STEPS = 32;
    private static final int DELAY = 6;

    /** Test MSE after 10 epochs with windows of k steps, and the number of updates made. */
    private static double[] trainWithWindows(int k) {
        Rng rng = new Rng(3);
        Sequential model = Sequential.of(Recurrent.builder(CellType.RNN, 1, 16).rng(rng).build(), new Dense(16, 1, rng));
        Trainer trainer = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, 0.01)).batchSize(32).epochs(10).seed(4)
                .threads(1).truncatedBptt(TruncatedBptt.windows(k)).build();
        trainer.fit(ToyData.delayedEcho(512, STEPS, DELAY, 1), null);
        return new double[] {trainer.evaluate(ToyData.delayedEcho(256, STEPS, DELAY, 2)).loss(), trainer.optimizer().steps()};
    }

    @Test
    void windowsShorterThanTheDependencyCannotLearnItLongerOnesCan() {
        double[] tooShort = trainWithWindows(DELAY);
        double[] longEnough = trainWithWindows(2 * DELAY);
        // Predicting 0 everywhere scores Var(U(−1, 1))·26/32 = 0.27: the window of 6 steps never
        // holds both x(t − 6) and y(t), and stays there (0.25); windows of 12 learn it (0.0013).
        assertTrue(tooShort[0] > 0.2, "windows of " + DELAY + ": MSE " + tooShort[0]);
        assertTrue(longEnough[0] < 0.02, "windows of " + 2 * DELAY + ": MSE " + longEnough[0]);
        // What truncation buys: shorter backward passes, and more updates per epoch (16 batches ×
        // ⌈32 / k⌉ windows × 10 epochs).
        assertEquals(16 * 6 * 10, tooShort[1]);
        assertEquals(16 * 3 * 10, longEnough[1]);
    }
}
