package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.Idx;
import dev.unroll.data.MnistDataset;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed §10 on a small MNIST-format data set made here: the class is where a bright stroke appears in time. */
class MnistClassifierTest {
    private static final int ROWS = 9;
    private static final int COLS = 6;

    @TempDir
    Path dir;

    /** {@code count} images of 9×6: noise below 60, and a stroke of 200+ across row 3·label + (0..2). */
    private static void writeSplit(Path dir, String prefix, int count, long seed) throws IOException {
        Rng rng = new Rng(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + count * ROWS * COLS).putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(ROWS).putInt(COLS);
        ByteBuffer labels = ByteBuffer.allocate(8 + count).putInt(Idx.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            int label = rng.nextInt(3);
            int strokeRow = 3 * label + rng.nextInt(3);
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    images.put((byte) (r == strokeRow ? 200 + rng.nextInt(56) : rng.nextInt(60)));
                }
            }
            labels.put((byte) label);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    @Test
    void learnsTheClassesPrintsEveryEpochAndSavesTheModel() throws Exception {
        writeSplit(dir, "train", 300, 1);
        writeSplit(dir, "t10k", 100, 2);
        Path out = dir.resolve("model.safetensors");
        MnistClassifier.Settings s = new MnistClassifier.Settings(dir, 4, 20, 16, 0.01, 42, out);
        Printed printed = new Printed();
        MnistClassifier.Result r = MnistClassifier.run(s, printed.out);
        assertEquals(4, r.history().size());
        assertTrue(r.testAccuracy() > 0.9, "test accuracy " + r.testAccuracy());
        assertTrue(printed.text().contains("300 training and 100 test images of 9×6 (9 steps of 6 pixels), 3 classes"), printed.text());
        assertTrue(printed.text().contains("3 Train accuracy: "), printed.text());
        Sequential loaded = (Sequential) Checkpoint.load(out);
        var test = MnistDataset.load(dir).test().inputs();
        assertArrayEquals(r.model().predict(test).toArray(), loaded.predict(test).toArray());
    }

    @Test
    void theDataDirectoryIsRequired() {
        Args.UsageException e = assertThrows(Args.UsageException.class,
                () -> Args.read(MnistClassifier.USAGE, new String[] {"--epochs", "2"}, MnistClassifier.Settings::read));
        assertTrue(e.getMessage().contains("--data is required"), e.getMessage());
    }
}
