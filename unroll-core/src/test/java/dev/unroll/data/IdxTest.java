package dev.unroll.data;

import static dev.unroll.data.IdxFixtures.gzip;
import static dev.unroll.data.IdxFixtures.idx;
import static dev.unroll.data.IdxFixtures.imageFile;
import static dev.unroll.data.IdxFixtures.labelFile;
import static dev.unroll.data.IdxFixtures.write;
import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    static Path tinyMnist() throws URISyntaxException {
        return Path.of(IdxTest.class.getResource("/data/mnist-tiny").toURI());
    }

    /** Every value of {@code images} is the fixture pattern's byte divided by 255. */
    static void assertFixturePixels(Tensor images) {
        int[] shape = images.shape();
        for (int i = 0; i < shape[0]; i++) {
            for (int r = 0; r < shape[1]; r++) {
                for (int c = 0; c < shape[2]; c++) {
                    assertEquals(IdxFixtures.pixel(i, r, c) / 255f, images.get(i, r, c), "pixel " + i + "," + r + "," + c);
                }
            }
        }
    }

    @Test
    void readsTheCommittedGzipAndRawFixtures() throws Exception {
        Tensor gzipped = Idx.readImages(tinyMnist().resolve("train-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[] {5, IdxFixtures.ROWS, IdxFixtures.COLS}, gzipped.shape());
        assertFixturePixels(gzipped);
        Tensor raw = Idx.readImages(tinyMnist().resolve("t10k-images-idx3-ubyte"));
        assertArrayEquals(new int[] {3, IdxFixtures.ROWS, IdxFixtures.COLS}, raw.shape());
        assertFixturePixels(raw);
        assertArrayEquals(IdxFixtures.TRAIN_LABELS, Idx.readLabels(tinyMnist().resolve("train-labels-idx1-ubyte")));
        assertArrayEquals(IdxFixtures.TEST_LABELS, Idx.readLabels(tinyMnist().resolve("t10k-labels-idx1-ubyte.gz")));
    }

    @Test
    void roundTripsRawAndGzipAlike() throws Exception {
        byte[] images = imageFile(7, 28, 28);
        Tensor raw = Idx.readImages(write(dir.resolve("raw"), images));
        Tensor gzipped = Idx.readImages(write(dir.resolve("gzipped"), gzip(images)));
        assertArrayEquals(new int[] {7, 28, 28}, raw.shape());
        assertFixturePixels(raw);
        assertArrayEquals(raw.toArray(), gzipped.toArray());

        int[] labels = {0, 9, 255, 128, 3};
        assertArrayEquals(labels, Idx.readLabels(write(dir.resolve("labels"), labelFile(labels))));
        assertArrayEquals(labels, Idx.readLabels(write(dir.resolve("labels-gz"), gzip(labelFile(labels)))));
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws Exception {
        byte[] images = imageFile(2, 3, 3);
        Tensor rawNamedGz = Idx.readImages(write(dir.resolve("images.gz"), images));
        Tensor gzipNamedRaw = Idx.readImages(write(dir.resolve("images.raw"), gzip(images)));
        assertArrayEquals(rawNamedGz.toArray(), gzipNamedRaw.toArray());
    }

    @Test
    void pixelsAreScaledToTheUnitInterval() throws Exception {
        byte[] body = {0, 51, (byte) 128, (byte) 255};
        Tensor t = Idx.readImages(write(dir.resolve("scale"), idx(Idx.IMAGES_MAGIC, new int[] {1, 2, 2}, body)));
        assertArrayEquals(new float[] {0f, 0.2f, 128 / 255f, 1f}, t.toArray());
    }

    @Test
    void emptyDataSetsAreValid() throws Exception {
        Tensor none = Idx.readImages(write(dir.resolve("none"), imageFile(0, 28, 28)));
        assertArrayEquals(new int[] {0, 28, 28}, none.shape());
        assertEquals(0, Idx.readLabels(write(dir.resolve("no-labels"), labelFile())).length);
    }

    @Test
    void foreignMagicIsReportedInHexWithTheExpectedOne() {
        // A file gzipped twice: once decompressed, it still starts with gzip's magic bytes.
        Path file = write(dir.resolve("twice.gz"), gzip(gzip(imageFile(1, 2, 2))));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(file));
        assertMentions(e, file.toString(), "not an IDX image file", "magic 0x1F8B0800", "expected 0x00000803");
        assertEquals(file, e.file());
    }

    @Test
    void labelsWhereImagesAreExpectedAndBackAreNamed() {
        Path labels = write(dir.resolve("labels"), labelFile(1, 2, 3));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(labels)),
                labels.toString(), "expected images (0x00000803), found labels (0x00000801)");
        Path images = write(dir.resolve("images"), imageFile(1, 2, 2));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readLabels(images)),
                images.toString(), "expected labels (0x00000801), found images (0x00000803)");
    }

    @Test
    void truncatedHeaderIsReported() {
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(empty)),
                empty.toString(), "truncated: an IDX image header has 16 bytes, found 0");
        Path cut = write(dir.resolve("cut"), Arrays.copyOf(imageFile(1, 2, 2), 7));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(cut)),
                "truncated: an IDX image header has 16 bytes, found 7");
    }

    @Test
    void truncatedDataIsReportedWithExpectedAndFoundLengths() {
        byte[] complete = imageFile(5, 4, 3);
        Path file = write(dir.resolve("short"), Arrays.copyOf(complete, complete.length - 1));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(file));
        assertMentions(e, file.toString(), "truncated: expected 60 bytes of pixels after the header, found 59");

        byte[] labels = labelFile(1, 2, 3);
        Path gz = write(dir.resolve("short-labels.gz"), gzip(Arrays.copyOf(labels, labels.length - 2)));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readLabels(gz)),
                gz.toString(), "truncated: expected 3 bytes of labels after the header, found 1");
    }

    @Test
    void aHeaderPromisingFarMoreThanTheFileHoldsIsATruncation() {
        Path file = write(dir.resolve("liar"), idx(Idx.IMAGES_MAGIC, new int[] {100_000, 28, 28}, new byte[10]));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                "truncated: expected 78400000 bytes of pixels after the header, found 10");
    }

    @Test
    void trailingBytesAreReported() {
        byte[] complete = imageFile(5, 4, 3);
        Path file = write(dir.resolve("long"), Arrays.copyOf(complete, complete.length + 3));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                file.toString(), "expected 60 bytes of pixels after the header, found 63 (3 trailing bytes)");
    }

    @Test
    void impossibleDimensionsAreReported() {
        Path huge = write(dir.resolve("huge"), idx(Idx.IMAGES_MAGIC, new int[] {1, 0xFFFFFFFF, 28}, new byte[0]));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(huge)),
                huge.toString(), "rows = 4294967295 (0xFFFFFFFF) exceeds 2^31-1");
        Path tooMany = write(dir.resolve("too-many"), idx(Idx.IMAGES_MAGIC, new int[] {100_000, 1000, 1000}, new byte[0]));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(tooMany)),
                "100000 × 1000 × 1000 pixels exceed the 2^31-1 elements");
        // 2^29 · 128 overflows an int before the 0 makes the product 0 (found by fuzzing).
        Path noColumns = write(dir.resolve("no-columns"), idx(Idx.IMAGES_MAGIC, new int[] {536_870_912, 128, 0}, new byte[0]));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(noColumns)),
                noColumns.toString(), "images of 128 × 0 pixels (an image needs at least one row and one column)");
    }

    @Test
    void truncatedGzipStreamIsReported() {
        byte[] gz = gzip(imageFile(20, 28, 28));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                file.toString(), "corrupt or truncated gzip stream");
        Path headerOnly = write(dir.resolve("magic-only.gz"), new byte[] {0x1f, (byte) 0x8b});
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readLabels(headerOnly)),
                headerOnly.toString(), "corrupt or truncated gzip stream");
    }

    @Test
    void corruptGzipStreamIsReported() {
        byte[] gz = gzip(imageFile(3, 5, 5));
        gz[gz.length - 8] ^= 0x55; // the CRC-32 of the trailer no longer matches the data
        Path file = write(dir.resolve("bad-crc.gz"), gz);
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                file.toString(), "corrupt or truncated gzip stream");
    }

    @Test
    void aCompressionBombIsNotInflatedToItsEndToFindTrailingBytes() throws Exception {
        // 1 image of 1 x 1 announced; then 256 MiB of zeros, a few hundred KiB compressed.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(idx(Idx.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                gz.write(zeros);
            }
        }
        Path file = write(dir.resolve("bomb.gz"), bytes.toByteArray());
        long start = System.nanoTime();
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                file.toString(), "the decompressed data goes on past them");
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - start < 500_000_000L, "stopped at the first trailing byte");
    }

    @Test
    void garbageAfterTheGzipStreamIsAnError() {
        byte[] gz = gzip(labelFile(1, 2, 3));
        byte[] withGarbage = Arrays.copyOf(gz, gz.length + 4);
        withGarbage[gz.length] = 'j';
        Path file = write(dir.resolve("garbage.gz"), withGarbage);
        assertMentions(assertThrows(DataFileException.class, () -> Idx.readLabels(file)),
                file.toString(), "corrupt or truncated gzip stream (not gzip data: bytes 6a 00");
        byte[] twoMembers = new byte[gz.length + gzip(new byte[0]).length];
        System.arraycopy(gz, 0, twoMembers, 0, gz.length);
        System.arraycopy(gzip(new byte[0]), 0, twoMembers, gz.length, gzip(new byte[0]).length);
        assertArrayEquals(new int[] {1, 2, 3}, assertDoesNotThrowLabels(write(dir.resolve("two.gz"), twoMembers)));
    }

    private static int[] assertDoesNotThrowLabels(Path file) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Idx.readLabels(file), "concatenated gzip members are one stream");
    }

    @Test
    void sizesTheHeapCannotHoldAreRefusedBeforeAllocating() {
        // 2^31-1 pixels would need 8 GiB as floats; a 16-byte header asks for them.
        Path file = write(dir.resolve("greedy"), idx(Idx.IMAGES_MAGIC, new int[] {Integer.MAX_VALUE, 1, 1}, new byte[0]));
        if (Runtime.getRuntime().maxMemory() < 4L * Integer.MAX_VALUE) {
            assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                    file.toString(), "the header announces 2147483647 pixels, which needs 8.0 GiB", "-Xmx");
        } else {
            assertMentions(assertThrows(DataFileException.class, () -> Idx.readImages(file)),
                    "truncated: expected 2147483647 bytes of pixels after the header, found 0");
        }
    }
}
