package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Seed §13: the reshape–dense–reshape model trains, and computes what §12's dense layer computes. */
class ProjectionWithoutWrapperTest {

    @Test
    void theHandWrittenProjectionMatchesTheDenseLayer() {
        ProjectionWithoutWrapper.Result r = ProjectionWithoutWrapper.run(new ProjectionWithoutWrapper.Settings(200, 16, 0.01, 1),
                new Printed().out);
        TrainingAsserts.assertLossFalls(r.history());
        assertTrue(r.outputDifference() <= 1e-5 && r.gradientDifference() <= 1e-5,
                "outputs differ by " + r.outputDifference() + ", gradients by " + r.gradientDifference());
    }
}
