package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", Tensor.randn(new Rng(1), 3, 4));
        m.put("bias", Tensor.of(new float[] {1, -2, 3}, 3));
        m.put("scalar", Tensor.scalar(7f));
        return m;
    }

    @Test
    void roundTripKeepsValuesOrderAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of("config", "{\"a\":1}"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(java.util.List.of("weight", "bias", "scalar"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(sample().get("weight").toArray(), c.tensors().get("weight").toArray());
        assertArrayEquals(new int[0], c.tensors().get("scalar").shape());
        assertEquals("{\"a\":1}", c.metadata().get("config"));
    }

    @Test
    void headerIsAlignedAndFollowsTheFormat() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}"), header);
        assertEquals(8 + n + 4 * (12 + 3 + 1), bytes.length);
    }

    @Test
    void truncatedFileIsAClearError() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void notASafetensorsFile() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, this is not a checkpoint at all");
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertThrows(SafeTensorsException.class, () -> SafeTensors.read(tiny));
    }

    @Test
    void corruptHeaderJson() throws IOException {
        byte[] header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]".getBytes(StandardCharsets.UTF_8);
        Path f = write(header, new byte[8]);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("corrupt safetensors header"), e.getMessage());
    }

    @Test
    void offsetsThatDoNotMatchTheShape() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        Path f = write(header, new byte[8]);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("needs 12 bytes"), e.getMessage());
    }

    @Test
    void gapsAndUnsupportedDtypes() throws IOException {
        byte[] gap = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}".getBytes(StandardCharsets.UTF_8);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(gap, new byte[8])));
        assertTrue(e.getMessage().contains("gap"), e.getMessage());
        byte[] f16 = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.UTF_8);
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(f16, new byte[4])));
        assertTrue(e.getMessage().contains("F16"), e.getMessage());
    }

    @Test
    void readsF64AsFloat() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
        SafeTensors.Contents c = SafeTensors.read(write(header, data.array()));
        assertArrayEquals(new float[] {1.5f, -2.25f}, c.tensors().get("w").toArray());
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] before = Files.readAllBytes(f);
        Map<String, Tensor> bad = new LinkedHashMap<>(sample());
        bad.put("__metadata__", Tensor.scalar(1f));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, bad, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test
    void bytesAndStreamsReadLikeFiles() throws IOException {
        Map<String, Tensor> big = new LinkedHashMap<>(sample());
        big.put("large", Tensor.randn(new Rng(2), 70_001)); // spans several read chunks
        byte[] bytes = SafeTensors.toBytes(big, Map.of("k", "v"));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, big, Map.of("k", "v"));
        assertArrayEquals(Files.readAllBytes(f), bytes, "bytes are what a file holds");
        for (SafeTensors.Contents c : java.util.List.of(SafeTensors.read(bytes, "bytes"),
                SafeTensors.read(new java.io.ByteArrayInputStream(bytes), "stream"),
                SafeTensors.read(new TrickleStream(bytes), "trickle"))) {
            assertEquals(big.keySet(), c.tensors().keySet());
            for (String name : big.keySet()) {
                assertArrayEquals(big.get(name).toArray(), c.tensors().get(name).toArray(), name);
            }
            assertEquals("v", c.metadata().get("k"));
        }
    }

    @Test
    void aStreamMustEndWithTheLastTensorAndHoldWhatTheHeaderSays() throws IOException {
        byte[] bytes = SafeTensors.toBytes(sample(), Map.of());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> SafeTensors.read(new java.io.ByteArrayInputStream(longer), "s"));
        assertTrue(e.getMessage().contains("bytes follow the last tensor"), e.getMessage());
        byte[] shorter = Arrays.copyOf(bytes, bytes.length - 1);
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(new java.io.ByteArrayInputStream(shorter), "s"));
        assertTrue(e.getMessage().startsWith("s: truncated: tensor 'scalar'"), e.getMessage());
    }

    @Test
    void aStreamThatAnnouncesAHugeTensorCostsOnlyWhatItHolds() {
        // 2^29 floats (2 GiB) announced, 16 bytes present: the shortfall is found after reading them,
        // without allocating the announced size.
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[536870912],\"data_offsets\":[0,2147483648]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 16).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> SafeTensors.read(new java.io.ByteArrayInputStream(b.array()), "s"));
        assertTrue(e.getMessage().contains("the content ends after 16"), e.getMessage());
    }

    @Test
    void tensorsOfMoreThanTwoGibibytesAreAClearError() throws IOException {
        // 2^31 floats: 8 GiB, more than an Unroll tensor (a Java array) holds.
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0,8589934592]}}".getBytes(StandardCharsets.UTF_8);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(header, new byte[8])));
        assertTrue(e.getMessage().contains("has shape [2147483648]"), e.getMessage());
        byte[] wide = "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,17179869184]}}".getBytes(StandardCharsets.UTF_8);
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(wide, new byte[8])));
        assertTrue(e.getMessage().contains("more than the 2^31-1 elements"), e.getMessage());
    }

    @Test
    void headerMustBeUtf8() throws IOException {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\":{\"k\":\"?\"}}"
                .getBytes(StandardCharsets.UTF_8);
        header[header.length - 4] = (byte) 0xC3; // a lead byte without its continuation
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(header, new byte[4])));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void deeplyNestedHeaderIsAnErrorNotAStackOverflow() throws IOException {
        byte[] header = ("{\"__metadata__\":" + "[".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(write(header, new byte[0])));
        assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
    }

    /** Hands out at most 7 bytes per read, as a slow network would. */
    private static final class TrickleStream extends java.io.ByteArrayInputStream {
        TrickleStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 7));
        }
    }

    private Path write(byte[] header, byte[] data) throws IOException {
        Path f = Files.createTempFile(dir, "handmade", ".safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Files.write(f, b.array());
        return f;
    }
}
