package dev.unroll.data;

import dev.unroll.tensor.Memory;
import dev.unroll.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reader of the IDX files MNIST and Fashion-MNIST ship in (seed §10), raw or gzip-compressed.
 *
 * <p>An IDX file is a big-endian header followed by the data: a 4-byte magic number
 * {@code 0x0000TTDD} (TT the element type, {@code 08} for unsigned bytes; DD the number of
 * dimensions), one 4-byte size per dimension, then the elements in row-major order. Two kinds are
 * read here:
 * <ul>
 *   <li>images, magic {@code 0x00000803}: {@code N × rows × cols} unsigned bytes, returned as a
 *       {@code Tensor [N, rows, cols]} with every pixel scaled to [0, 1] by {@code pixel / 255f}.
 *       Read as a sequence (seed §10), each row of an image is one time step of {@code cols}
 *       features: {@code [batch, 28 steps, 28 features]} for MNIST.</li>
 *   <li>labels, magic {@code 0x00000801}: {@code N} unsigned bytes, returned as an {@code int[]}.</li>
 * </ul>
 *
 * <p>Gzip is recognised by its magic bytes {@code 1f 8b}, not by the file name. Everything is
 * checked and reported as a {@link DataFileException} naming the file: the magic number (found vs
 * expected), negative sizes, a data length that is not exactly what the header announces (short or
 * with trailing bytes), sizes the JVM's heap could not hold (checked before allocating), and a
 * corrupt or truncated gzip stream, or bytes after it that are not gzip ({@link GzipReader}). The
 * data is read as it arrives and converted chunk by chunk, so a header that announces more than the
 * file holds costs no more than the real data, and a gzip stream is inflated only as far as the
 * announced data goes plus one byte.
 */
public final class Idx {
    /** Magic number of an IDX file of unsigned-byte images: 3 dimensions {@code [N, rows, cols]}. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels: 1 dimension {@code [N]}. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The two kinds of IDX file read here, with what their headers hold. */
    private enum Kind {
        IMAGES(IMAGES_MAGIC, "image", "N", "rows", "cols"),
        LABELS(LABELS_MAGIC, "label", "N");

        final int magic;
        final String noun;
        final String[] dimNames;

        Kind(int magic, String noun, String... dimNames) {
            this.magic = magic;
            this.noun = noun;
            this.dimNames = dimNames;
        }

        int headerBytes() {
            return 4 + 4 * dimNames.length;
        }

        static Kind ofMagic(int magic) {
            for (Kind k : values()) {
                if (k.magic == magic) {
                    return k;
                }
            }
            return null;
        }
    }

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER_BYTES = 1 << 16;
    /** The body is read into an array of at most this size first, grown as the data turns out to be there. */
    private static final int FIRST_CHUNK = 1 << 16;

    /** {@code i / 255f} for every byte value: a table look-up beats the division in the pixel loop. */
    private static final float[] PIXEL_SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            PIXEL_SCALE[i] = i / 255f;
        }
    }

    private Idx() {
    }

    /** Reads an image file into a {@code Tensor [N, rows, cols]} with values in [0, 1]. */
    public static Tensor readImages(Path file) throws IOException {
        try (Source source = open(file)) {
            int[] dims = readHeader(source.in, file, Kind.IMAGES);
            if (dims[1] == 0 || dims[2] == 0) {
                throw new DataFileException(file, "invalid header: images of " + dims[1] + " × " + dims[2]
                        + " pixels (an image needs at least one row and one column)");
            }
            long count = (long) dims[0] * dims[1] * dims[2];
            if (count > Integer.MAX_VALUE) {
                throw new DataFileException(file, dims[0] + " × " + dims[1] + " × " + dims[2]
                        + " pixels exceed the 2^31-1 elements a tensor can hold");
            }
            checkMemory(file, count, Float.BYTES, "pixels");
            float[] values = new float[(int) Math.min(count, FIRST_CHUNK)];
            byte[] chunk = new byte[BUFFER_BYTES];
            int filled = 0;
            while (filled < count) {
                int n = source.in.read(chunk, 0, (int) Math.min(chunk.length, count - filled));
                if (n < 0) {
                    throw truncated(file, count, filled, "bytes of pixels");
                }
                if (filled + n > values.length) {
                    // Grown as the data turns out to be there: a header announcing far more than the
                    // file holds costs at most twice the real size before the shortfall is reported.
                    values = Arrays.copyOf(values, (int) Math.min(count, Math.max(2L * values.length, filled + n)));
                }
                for (int k = 0; k < n; k++) {
                    values[filled + k] = PIXEL_SCALE[chunk[k] & 0xFF];
                }
                filled += n;
            }
            checkEnd(source, file, Kind.IMAGES, count, "bytes of pixels");
            return Tensor.wrap(values, 0, dims);
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
    }

    /** Reads a label file into one {@code int} (0..255) per example. */
    public static int[] readLabels(Path file) throws IOException {
        try (Source source = open(file)) {
            int[] dims = readHeader(source.in, file, Kind.LABELS);
            checkMemory(file, dims[0], 1 + Integer.BYTES, "labels");
            byte[] bytes = readUpTo(source.in, dims[0]);
            if (bytes.length < dims[0]) {
                throw truncated(file, dims[0], bytes.length, "bytes of labels");
            }
            checkEnd(source, file, Kind.LABELS, dims[0], "bytes of labels");
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
    }

    /** An opened IDX file: its (possibly decompressed) content, and whether it was gzip. */
    private record Source(InputStream in, boolean gzip) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Opens the file, decompressing on the fly when it starts with the gzip magic bytes. Only the
     * gzip layer throws {@link ZipException} or {@link EOFException} here: the readers below detect
     * short data themselves, so those two always mean a broken gzip stream.
     */
    private static Source open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            in.mark(2);
            boolean gzip = in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
            in.reset();
            return new Source(gzip ? new GzipReader(in) : in, gzip);
        } catch (ZipException | EOFException e) {
            in.close();
            throw corruptGzip(file, e);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static DataFileException corruptGzip(Path file, IOException cause) {
        return new DataFileException(file, "corrupt or truncated gzip stream ("
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()) + ")", cause);
    }

    /** What the header announces must fit in the heap, as the values the reader returns. */
    private static void checkMemory(Path file, long count, int bytesEach, String what) throws DataFileException {
        if (!Memory.couldHold(count * bytesEach)) {
            throw new DataFileException(file, "the header announces " + count + " " + what + ", which "
                    + Memory.tooLarge(count * bytesEach));
        }
    }

    private static DataFileException truncated(Path file, long expected, long found, String what) {
        return new DataFileException(file, "truncated: expected " + expected + " " + what + " after the header, found " + found);
    }

    /**
     * The data must end right after the announced bytes. Only one more byte is read to find out: a
     * compressed file is never inflated to its end just to count what trails (a raw file's count
     * comes from its size).
     */
    private static void checkEnd(Source source, Path file, Kind kind, long length, String what) throws IOException {
        if (source.in.read() < 0) {
            return;
        }
        if (source.gzip) {
            throw new DataFileException(file, "expected " + length + " " + what + " after the header, but the decompressed"
                    + " data goes on past them (trailing bytes)");
        }
        long extra = Files.size(file) - kind.headerBytes() - length;
        throw new DataFileException(file, "expected " + length + " " + what + " after the header, found "
                + (length + extra) + " (" + extra + " trailing bytes)");
    }

    /** Checks the magic number and returns the dimension sizes that follow it. */
    private static int[] readHeader(InputStream in, Path file, Kind expected) throws IOException {
        byte[] header = in.readNBytes(expected.headerBytes());
        if (header.length >= 4) {
            checkMagic(file, bigEndianInt(header, 0), expected);
        }
        if (header.length < expected.headerBytes()) {
            throw new DataFileException(file, "truncated: an IDX " + expected.noun + " header has "
                    + expected.headerBytes() + " bytes, found " + header.length);
        }
        int[] dims = new int[expected.dimNames.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = bigEndianInt(header, 4 + 4 * i);
            if (dims[i] < 0) {
                // IDX sizes are unsigned 32-bit; anything at or above 2^31 cannot be a real data set.
                throw new DataFileException(file, "invalid header: " + expected.dimNames[i] + " = "
                        + Integer.toUnsignedString(dims[i]) + " (0x" + hex(dims[i]) + ") exceeds 2^31-1");
            }
        }
        return dims;
    }

    private static void checkMagic(Path file, int magic, Kind expected) throws DataFileException {
        if (magic == expected.magic) {
            return;
        }
        Kind found = Kind.ofMagic(magic);
        if (found != null) {
            throw new DataFileException(file, "expected " + expected.noun + "s (0x" + hex(expected.magic) + "), found "
                    + found.noun + "s (0x" + hex(magic) + ")");
        }
        throw new DataFileException(file, "not an IDX " + expected.noun + " file: magic 0x" + hex(magic)
                + ", expected 0x" + hex(expected.magic));
    }

    /**
     * Reads until {@code length} bytes or the end of the stream, straight into the array it returns
     * (shorter when the stream ended first). The array starts at most {@link #FIRST_CHUNK} bytes long and
     * doubles as data arrives, so a header announcing far more data than the file holds costs no more
     * than twice the real size before the shortfall is reported.
     */
    private static byte[] readUpTo(InputStream in, int length) throws IOException {
        byte[] buffer = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (filled < length) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(length, 2L * buffer.length));
            }
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                return Arrays.copyOf(buffer, filled);
            }
            filled += read;
        }
        return buffer;
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String hex(int value) {
        return String.format("%08X", value);
    }
}
