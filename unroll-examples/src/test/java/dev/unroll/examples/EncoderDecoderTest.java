package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed §3: the encoder–decoder learns to forecast, and beats repeating the last value read. */
class EncoderDecoderTest {
    @TempDir
    Path dir;

    @Test
    void forecastsBetterThanRepeatingTheLastValue() throws Exception {
        Printed printed = new Printed();
        EncoderDecoder.Result r = EncoderDecoder.run(new EncoderDecoder.Settings(300, 5, 16, 0.01, 1, dir.resolve("ed.safetensors")),
                printed.out);
        assertTrue(r.history().get(2).trainLoss() < 0.5 * r.history().get(0).trainLoss(), r.history().toString());
        assertTrue(r.modelMse() < 0.5 * r.lastValueMse(), "model " + r.modelMse() + ", last value repeated " + r.lastValueMse());
        assertTrue(printed.text().contains("and loaded into a new model"), printed.text());
    }

    @Test
    void theDecoderRunsForItsOwnNumberOfSteps() {
        EncoderDecoder.Model model = new EncoderDecoder.Model(2, 4, 7, new Rng(1));
        Tensor y = SeriesTraining.predict(model, Tensor.uniform(new Rng(2), -1f, 1f, 3, 12, 2));
        assertArrayEquals(new int[] {3, 7, 2}, y.shape());
    }
}
