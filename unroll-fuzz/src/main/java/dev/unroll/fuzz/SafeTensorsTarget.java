package dev.unroll.fuzz;

import dev.unroll.io.SafeTensors;
import dev.unroll.io.SafeTensorsException;
import dev.unroll.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link SafeTensors#read}: the same bytes read from memory and from a stream give the same tensors
 * or the same kind of error, and the only failure is a {@link SafeTensorsException}.
 */
final class SafeTensorsTarget implements FuzzTarget {
    private final List<byte[]> seeds;

    SafeTensorsTarget(List<byte[]> checkpointSeeds) {
        this.seeds = new java.util.ArrayList<>(checkpointSeeds);
        seeds.add(SafeTensors.toBytes(Map.of(), Map.of()));
        seeds.add(SafeTensors.toBytes(Map.of("scalar", Tensor.scalar(1f), "empty", Tensor.zeros(0, 3)), Map.of("k", "v")));
    }

    /** The JSON header of a safetensors file. */
    static String headerText(byte[] file) {
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, (int) n, StandardCharsets.UTF_8).strip();
    }

    @Override
    public String name() {
        return "safetensors";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws Exception {
        SafeTensors.Contents fromBytes;
        try {
            fromBytes = SafeTensors.read(input, "fuzz");
        } catch (SafeTensorsException e) {
            try {
                SafeTensors.read(new ByteArrayInputStream(input), "fuzz");
            } catch (SafeTensorsException expected) {
                throw e;
            }
            throw new AssertionError("rejected from memory (" + e.getMessage() + ") but read from a stream");
        }
        SafeTensors.Contents fromStream = SafeTensors.read(new ByteArrayInputStream(input), "fuzz");
        if (!fromBytes.metadata().equals(fromStream.metadata()) || !fromBytes.tensors().keySet().equals(fromStream.tensors().keySet())) {
            throw new AssertionError("memory and stream disagree on the names or metadata");
        }
        for (String name : fromBytes.tensors().keySet()) {
            Tensor a = fromBytes.tensors().get(name);
            Tensor b = fromStream.tensors().get(name);
            if (!Arrays.equals(a.shape(), b.shape()) || !Arrays.equals(a.toArray(), b.toArray())) {
                throw new AssertionError("memory and stream disagree on tensor " + name);
            }
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof SafeTensorsException;
    }
}
