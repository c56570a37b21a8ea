package dev.unroll.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds small IDX files for the tests, and (run as a program) the committed fixture
 * {@code src/test/resources/data/mnist-tiny}: a 5-image training split and a 3-image test split of
 * 4×3 images, deliberately mixing gzip and raw files.
 */
final class IdxFixtures {
    static final int ROWS = 4;
    static final int COLS = 3;
    static final int[] TRAIN_LABELS = {0, 1, 2, 1, 0};
    static final int[] TEST_LABELS = {2, 0, 1};

    private IdxFixtures() {
    }

    /**
     * The byte of pixel (row, col) of image {@code image}: a pattern that differs between images, rows
     * and columns (and wraps past 255), so any misplaced byte shows.
     */
    static int pixel(int image, int row, int col) {
        return (image * 97 + row * 29 + col * 7) % 256;
    }

    /** The pixel bytes of {@code count} images, from {@link #pixel}. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] body = new byte[count * rows * cols];
        int i = 0;
        for (int image = 0; image < count; image++) {
            for (int row = 0; row < rows; row++) {
                for (int col = 0; col < cols; col++) {
                    body[i++] = (byte) pixel(image, row, col);
                }
            }
        }
        return body;
    }

    /** An IDX file: the magic, the dimension sizes, then the body, as is (sizes need not match the body). */
    static byte[] idx(int magic, int[] dims, byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        buffer.put(body);
        return buffer.array();
    }

    /** A well-formed image file of {@code count} images. */
    static byte[] imageFile(int count, int rows, int cols) {
        return idx(Idx.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels(count, rows, cols));
    }

    /** A well-formed label file. */
    static byte[] labelFile(int... labels) {
        byte[] body = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            body[i] = (byte) labels[i];
        }
        return idx(Idx.LABELS_MAGIC, new int[] {labels.length}, body);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the tiny MNIST-format data set into {@code dir}, with the committed fixture's mix of gzip and raw. */
    static void writeTinyMnist(Path dir) {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(imageFile(TRAIN_LABELS.length, ROWS, COLS)));
        write(dir.resolve("train-labels-idx1-ubyte"), labelFile(TRAIN_LABELS));
        write(dir.resolve("t10k-images-idx3-ubyte"), imageFile(TEST_LABELS.length, ROWS, COLS));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labelFile(TEST_LABELS)));
    }

    /** Regenerates the committed fixture; run from the repository root. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("unroll-core/src/test/resources/data/mnist-tiny");
        Files.createDirectories(dir);
        writeTinyMnist(dir);
    }
}
