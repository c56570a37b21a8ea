package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.train.Progress;
import java.util.List;

final class TrainingAsserts {
    private TrainingAsserts() {
    }

    /** At least two reports, and the last period's training loss under half the first's. */
    static void assertLossFalls(List<Progress> history) {
        assertTrue(history.size() >= 2, "reports: " + history.size());
        assertTrue(history.get(history.size() - 1).trainLoss() < 0.5 * history.get(0).trainLoss(), history.toString());
    }
}
