package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed §16 with 2 × 16 units: dropout acts in training mode only; the restored model predicts. */
class DropoutTrainingTest {
    @TempDir
    Path dir;

    @Test
    void dropoutActsWhileTrainingOnlyAndTheRestoredModelPredicts() throws Exception {
        Path file = dir.resolve("dropout.safetensors");
        DropoutTraining.Result r = DropoutTraining.run(new DropoutTraining.Settings(200, 2, 16, 0.5, 0.01, 1, file), new Printed().out);
        assertEquals(2, r.history().size());
        assertTrue(r.trainingSpread() > 0.01, "training passes differ by " + r.trainingSpread());
        assertEquals(0f, r.inferenceSpread());
        assertTrue(Files.exists(file) && Double.isFinite(r.freshMse()));
        assertArrayEquals(new int[] {1, 20, 1}, r.prediction().shape());
    }
}
