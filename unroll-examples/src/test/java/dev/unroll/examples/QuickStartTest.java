package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.Idx;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example on a small 28×28, 10-class data set made here: it trains, saves, loads and predicts. */
class QuickStartTest {
    @TempDir
    Path dir;

    /** Images whose label k is a bright stroke on rows 2k..2k+2, over noise. */
    private static void writeSplit(Path dir, String prefix, int count, long seed) throws IOException {
        Rng rng = new Rng(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + count * 28 * 28).putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + count).putInt(Idx.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            int label = rng.nextInt(10);
            for (int r = 0; r < 28; r++) {
                boolean stroke = r >= 2 * label && r < 2 * label + 3;
                for (int c = 0; c < 28; c++) {
                    images.put((byte) (stroke ? 200 + rng.nextInt(56) : rng.nextInt(40)));
                }
            }
            labels.put((byte) label);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    @Test
    void trainsSavesLoadsAndPredicts() throws Exception {
        writeSplit(dir, "train", 3000, 1);
        writeSplit(dir, "t10k", 50, 2);
        Path file = dir.resolve("mnist.safetensors");
        String out = RnnByHandTest.capture(() -> {
            try {
                Tensor logits = QuickStart.run(dir, 6, file);
                assertArrayEquals(new int[] {5, 10}, logits.shape());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(Files.size(file) > 0);
        assertTrue(out.contains("epoch 6: test accuracy"), out);
        double last = Double.parseDouble(out.trim().substring(out.trim().lastIndexOf(' ') + 1));
        assertTrue(last > 0.5, "the strokes are easy to tell apart: " + out);
    }
}
