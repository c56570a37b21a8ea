package dev.unroll.io;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import dev.unroll.tensor.Memory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (Hugging Face; readable by PyTorch, NumPy and others):
 *
 * <pre>
 *   8 bytes      N, little-endian unsigned 64-bit: size of the header
 *   N bytes      UTF-8 JSON: {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 *                             "__metadata__": {"key": "string value", ...}}
 *   rest         the tensors' bytes, little-endian, row-major; offsets are relative to this part
 * </pre>
 *
 * Unroll writes F32 and reads F32 and F64 (converted to float). Reading validates everything the
 * format promises — header size, JSON, dtypes, shapes, that offsets match the shapes and tile the
 * data exactly with no gap or overlap, the file's length — and reports the first problem found.
 * Writing is atomic (see {@link AtomicFiles}).
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    /** Refuse absurd header sizes before allocating (a corrupt length field). */
    private static final long MAX_HEADER = 100L << 20;
    /** Bytes converted at a time while reading tensors; a multiple of every dtype's width. */
    private static final int CHUNK_BYTES = 1 << 16;
    private static final long UNKNOWN_SIZE = -1;

    private SafeTensors() {
    }

    /** Tensors by name in file order, and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** The named tensor, or an error listing what the file holds. */
        public Tensor require(String name) throws SafeTensorsException {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new SafeTensorsException("missing tensor '" + name + "'; the file has " + tensors.keySet());
            }
            return t;
        }
    }

    /** Writes tensors (as F32, in the map's order) and metadata to {@code file}, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> write(out, header, tensors));
    }

    /** Writes the safetensors content to a stream (left open). */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(out, header(tensors, metadata), tensors);
    }

    /** The safetensors content as bytes (for a store, a message, a broadcast). */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        long size = header.length;
        for (Tensor t : tensors.values()) {
            size += 4L * t.size();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors content of " + size + " bytes does not fit in a byte array; write it to a file");
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((int) size);
        try {
            write(bytes, header, tensors);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The 8-byte length and the JSON header, padded with spaces so the data starts 8-byte aligned. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("'" + METADATA + "' is reserved and cannot name a tensor");
            }
            Tensor t = e.getValue();
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape()) {
                shape.add((long) d);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + 4L * t.size()));
            header.put(e.getKey(), info);
            offset += 4L * t.size();
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        return head.array();
    }

    private static void write(OutputStream out, byte[] header, Map<String, Tensor> tensors) throws IOException {
        out.write(header);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors.values()) {
            float[] d = t.data();
            for (int i = 0; i < t.size(); i++) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(d[t.offset() + i]);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Reads and validates a safetensors file. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, ch.size(), file.toString());
        }
    }

    /** Reads safetensors content held in memory; {@code name} says what it is in messages. */
    public static Contents read(byte[] bytes, String name) throws IOException {
        return read(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length, name);
    }

    /**
     * Reads safetensors content from a stream, which must end right after the last tensor (it is
     * read to its end, not closed). The stream's length is not known in advance, so tensor arrays
     * grow as their bytes arrive: a header announcing more than the stream holds costs at most
     * twice what it really holds before the shortfall is reported.
     */
    public static Contents read(InputStream in, String name) throws IOException {
        return read(Channels.newChannel(in), UNKNOWN_SIZE, name);
    }

    private static Contents read(ReadableByteChannel ch, long size, String where) throws IOException {
        boolean sized = size != UNKNOWN_SIZE;
        if (sized && size < 8) {
            throw new SafeTensorsException(where + ": not a safetensors file (" + size + " bytes, too short for the header length)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (!fill(ch, lenBuf)) {
            throw new SafeTensorsException(where + ": not a safetensors file (" + lenBuf.position()
                    + " bytes, too short for the header length)");
        }
        long headerLen = lenBuf.flip().getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER || sized && headerLen > size - 8) {
            throw new SafeTensorsException(where + ": not a safetensors file, or truncated: header length field is "
                    + Long.toUnsignedString(headerLen) + (sized ? " but the file has " + size + " bytes"
                    : headerLen > MAX_HEADER ? ", above the limit of " + MAX_HEADER : ""));
        }
        byte[] headerBytes = readHeaderBytes(ch, (int) headerLen, where);
        Map<String, Object> header;
        try {
            header = Json.parseObject(utf8(headerBytes, where));
        } catch (JsonException e) {
            throw new SafeTensorsException(where + ": corrupt safetensors header: " + e.getMessage());
        }
        long dataLen = sized ? size - 8 - headerLen : UNKNOWN_SIZE;
        Map<String, String> metadata = metadata(where, header.remove(METADATA));
        List<Entry> entries = new ArrayList<>();
        long totalBytes = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            Entry entry = entry(where, e.getKey(), e.getValue(), dataLen);
            entries.add(entry);
            totalBytes += 4L * entry.elements();
        }
        List<Entry> inFileOrder = checkTiling(where, entries, dataLen);
        if (!Memory.couldHold(totalBytes)) {
            throw new SafeTensorsException(where + ": its tensors " + Memory.tooLarge(totalBytes));
        }
        // The tiling check leaves the tensors back to back: read them in one sequential pass.
        Map<String, Tensor> byName = new java.util.HashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : inFileOrder) {
            byName.put(e.name, Tensor.wrap(readValues(ch, e, sized, chunk, where), 0, e.shape));
        }
        if (!sized && ch.read(ByteBuffer.allocate(1)) > 0) {
            throw new SafeTensorsException(where + ": corrupt: bytes follow the last tensor");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name, byName.get(e.name));
        }
        return new Contents(tensors, metadata);
    }

    /** The header's bytes; from a stream of unknown length the array grows as they arrive. */
    private static byte[] readHeaderBytes(ReadableByteChannel ch, int length, String where) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(length, CHUNK_BYTES));
        while (true) {
            boolean full = fill(ch, buf);
            if (!full) {
                throw new SafeTensorsException(where + ": truncated: the header should have " + length + " bytes, the content ends after "
                        + buf.position());
            }
            if (buf.capacity() == length) {
                return buf.array();
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(length, 2L * buf.capacity()));
            bigger.put(buf.flip());
            buf = bigger;
        }
    }

    /** The header as text; invalid UTF-8 is an error (a lenient decoder would replace it silently). */
    private static String utf8(byte[] bytes, String where) throws SafeTensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(where + ": corrupt safetensors header: not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /**
     * One tensor's values, converted to float chunk by chunk as they are read (never the whole
     * tensor as bytes and floats at once).
     */
    private static float[] readValues(ReadableByteChannel ch, Entry e, boolean sized, ByteBuffer chunk, String where)
            throws IOException {
        int n = (int) e.elements();
        float[] values = new float[sized ? n : Math.min(n, CHUNK_BYTES)];
        int filled = 0;
        while (filled < n) {
            int count = Math.min(n - filled, CHUNK_BYTES / e.width);
            chunk.clear().limit(count * e.width);
            if (!fill(ch, chunk)) {
                throw new SafeTensorsException(where + ": truncated: tensor '" + e.name + "' of shape " + Shape.toString(e.shape)
                        + " needs " + (e.end - e.begin) + " bytes, the content ends after " + ((long) filled * e.width + chunk.position()));
            }
            if (filled + count > values.length) {
                values = java.util.Arrays.copyOf(values, (int) Math.min(n, Math.max(2L * values.length, filled + count)));
            }
            chunk.flip();
            if (e.width == 4) {
                chunk.asFloatBuffer().get(values, filled, count);
            } else {
                for (int i = 0; i < count; i++) {
                    values[filled + i] = (float) chunk.getDouble();
                }
            }
            filled += count;
        }
        return values;
    }

    /** Reads until {@code buf} is full; false if the content ended first. */
    private static boolean fill(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    private record Entry(String name, int width, int[] shape, long elements, long begin, long end) {
    }

    private static Entry entry(String where, String name, Object value, long dataLen) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafeTensorsException(where + ": corrupt header: entry '" + name + "' is not an object");
        }
        Object dtype = info.get("dtype");
        int width;
        if ("F32".equals(dtype)) {
            width = 4;
        } else if ("F64".equals(dtype)) {
            width = 8;
        } else {
            throw new SafeTensorsException(where + ": tensor '" + name + "' has dtype " + dtype
                    + "; Unroll reads F32 and F64 tensors");
        }
        if (!(info.get("shape") instanceof List<?> dims)) {
            throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' has no shape");
        }
        int[] shape = new int[dims.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' has shape " + dims);
            }
            shape[i] = (int) (long) d;
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new SafeTensorsException(where + ": tensor '" + name + "' has shape " + dims
                        + ", more than the 2^31-1 elements an Unroll tensor holds");
            }
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' has no valid data_offsets");
        }
        long expected = elements * width;
        if (begin < 0 || end - begin != expected) {
            throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' of shape " + Shape.toString(shape)
                    + " needs " + expected + " bytes, its offsets [" + begin + ", " + end + "] give " + (end - begin));
        }
        if (dataLen != UNKNOWN_SIZE && end > dataLen) {
            throw new SafeTensorsException(where + ": truncated: tensor '" + name + "' ends at byte " + end
                    + " of the data, which has only " + dataLen + " bytes");
        }
        return new Entry(name, width, shape, elements, begin, end);
    }

    /**
     * The tensors must cover the data exactly, without gaps or overlaps (up to its end, when its
     * length is known); returns them in file order.
     */
    private static List<Entry> checkTiling(String where, List<Entry> entries, long dataLen) throws SafeTensorsException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw new SafeTensorsException(where + ": corrupt: tensor '" + e.name + "' starts at byte " + e.begin
                        + " of the data, expected " + at + (e.begin < at ? " (overlap)" : " (gap)"));
            }
            at = e.end;
        }
        if (dataLen != UNKNOWN_SIZE && at != dataLen) {
            throw new SafeTensorsException(where + ": corrupt: the tensors cover " + at + " bytes of data but the file holds "
                    + dataLen);
        }
        return sorted;
    }

    private static Map<String, String> metadata(String where, Object value) throws SafeTensorsException {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafeTensorsException(where + ": corrupt header: __metadata__ is not an object");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsException(where + ": corrupt header: __metadata__ value of '" + e.getKey() + "' is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }
}
