package dev.unroll.fuzz;

import dev.unroll.data.DataFileException;
import dev.unroll.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * {@link Idx#readImages} or {@link Idx#readLabels} on raw and gzip files: the only failure is a
 * {@link DataFileException}; what is read has the shape the header gives and pixels in [0, 1].
 */
final class IdxTarget implements FuzzTarget {
    private final boolean images;
    private final Path file;
    private final List<byte[]> seeds = new ArrayList<>();

    IdxTarget(boolean images, Path scratch) {
        this.images = images;
        this.file = scratch.resolve(images ? "images.idx" : "labels.idx");
        for (int n : new int[] {0, 1, 3}) {
            byte[] raw = images ? idx(Idx.IMAGES_MAGIC, new int[] {n, 4, 3}) : idx(Idx.LABELS_MAGIC, new int[] {n});
            seeds.add(raw);
            seeds.add(gzip(raw));
        }
    }

    private static byte[] idx(int magic, int[] dims) {
        int count = 1;
        for (int d : dims) {
            count *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + count).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < count; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String name() {
        return images ? "idx-images" : "idx-labels";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws IOException {
        Files.write(file, input);
        if (images) {
            for (float v : Idx.readImages(file).toArray()) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new AssertionError("pixel " + v + " outside [0, 1]");
                }
            }
        } else {
            for (int label : Idx.readLabels(file)) {
                if (label < 0 || label > 255) {
                    throw new AssertionError("label " + label + " outside [0, 255]");
                }
            }
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof DataFileException;
    }
}
