package dev.unroll.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small MNIST-format data sets for tests: IDX image and label files, raw or gzip, and an easy
 * synthetic task (the class of an image is the row where a bright bar lies, so a recurrent network
 * reading rows as time steps learns it in a few epochs).
 */
final class IdxFiles {
    static final int ROWS = 6;
    static final int COLS = 6;
    static final int CLASSES = 3;

    private IdxFiles() {
    }

    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    /** The labels of the synthetic task: 0, 1, 2, 0, 1, 2, ... */
    static int[] syntheticLabels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        return labels;
    }

    /** Images of the synthetic task: noise, plus a bright bar on row {@code 2 * label}. */
    static byte[] syntheticPixels(int[] labels, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[labels.length * ROWS * COLS];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < ROWS * COLS; p++) {
                pixels[i * ROWS * COLS + p] = (byte) rng.nextInt(60);
            }
            Arrays.fill(pixels, i * ROWS * COLS + 2 * labels[i] * COLS, i * ROWS * COLS + (2 * labels[i] + 1) * COLS, (byte) 250);
        }
        return pixels;
    }

    /** A data-set directory of the synthetic task: training files gzip, test files raw (both are accepted). */
    static Path syntheticDataset(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        int[] trainLabels = syntheticLabels(train);
        int[] testLabels = syntheticLabels(test);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(train, ROWS, COLS, syntheticPixels(trainLabels, 1))));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(trainLabels)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(test, ROWS, COLS, syntheticPixels(testLabels, 2)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(testLabels));
        return dir;
    }
}
