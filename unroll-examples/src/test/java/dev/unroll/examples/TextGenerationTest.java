package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.preprocess.Preprocessing;
import dev.unroll.preprocess.TextPreprocessing;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text example with tiny settings: it trains, saves the model with its vocabulary and generates. */
class TextGenerationTest {
    @TempDir
    Path dir;

    @Test
    void trainsSavesAndGenerates() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "The cat sat on the mat. ".repeat(200));
        Path out = dir.resolve("lm.safetensors");
        String generated = TextGeneration.run(text, 16, 1, 50, 3, out);
        assertTrue(generated.startsWith("The ") && generated.length() > 10, generated);
        var loaded = Checkpoint.read(out);
        assertTrue(Preprocessing.fromMetadata(loaded.metadata()) instanceof TextPreprocessing);
        assertEquals(generated, TextGeneration.run(text, 16, 1, 50, 3, dir.resolve("again.safetensors")), "seeded");
    }
}
