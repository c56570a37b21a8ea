package dev.unroll.io;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
        // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(head.array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
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
        });
    }

    /** Reads and validates a safetensors file. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            String where = file.toString();
            if (size < 8) {
                throw new SafeTensorsException(where + ": not a safetensors file (" + size + " bytes, too short for the header length)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new SafeTensorsException(where + ": not a safetensors file, or truncated: header length field is "
                        + Long.toUnsignedString(headerLen) + " but the file has " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            Map<String, Object> header;
            try {
                header = Json.parseObject(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(where + ": corrupt safetensors header: " + e.getMessage());
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = metadata(where, header.remove(METADATA));
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                entries.add(entry(where, e.getKey(), e.getValue(), dataLen));
            }
            checkTiling(where, entries, dataLen);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer bytes = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, bytes, dataStart + e.begin);
                bytes.flip();
                Tensor t = Tensor.zeros(e.shape);
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = e.dtype.equals("F32") ? bytes.getFloat() : (float) bytes.getDouble();
                }
                tensors.put(e.name, t);
            }
            return new Contents(tensors, metadata);
        }
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
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
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' has shape " + dims);
            }
            shape[i] = (int) (long) d;
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' has no valid data_offsets");
        }
        long expected = (long) Shape.size(shape) * width;
        if (end - begin != expected || begin < 0) {
            throw new SafeTensorsException(where + ": corrupt header: tensor '" + name + "' of shape " + Shape.toString(shape)
                    + " needs " + expected + " bytes, its offsets [" + begin + ", " + end + "] give " + (end - begin));
        }
        if (end > dataLen) {
            throw new SafeTensorsException(where + ": truncated: tensor '" + name + "' ends at byte " + end
                    + " of the data, which has only " + dataLen + " bytes");
        }
        return new Entry(name, (String) dtype, shape, begin, end);
    }

    /** The tensors must cover the data exactly, without gaps or overlaps. */
    private static void checkTiling(String where, List<Entry> entries, long dataLen) throws SafeTensorsException {
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
        if (at != dataLen) {
            throw new SafeTensorsException(where + ": corrupt: the tensors cover " + at + " bytes of data but the file holds "
                    + dataLen);
        }
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

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new SafeTensorsException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}
