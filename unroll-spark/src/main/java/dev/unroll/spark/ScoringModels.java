package dev.unroll.spark;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Layer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The scoring models of one JVM (an executor, or the driver in local mode), parsed once each from
 * their checkpoint bytes and shared by every task that scores with them: inference keeps its
 * buffers per call, so concurrent tasks can use one model. Keyed by a digest of the bytes.
 */
final class ScoringModels {
    private static final Map<String, Layer> MODELS = new ConcurrentHashMap<>();
    private static final AtomicLong PARSES = new AtomicLong();

    private ScoringModels() {
    }

    /** The model of {@code key}, parsed from {@code bytes} the first time this JVM needs it. */
    static Layer get(String key, Supplier<byte[]> bytes) {
        return MODELS.computeIfAbsent(key, k -> {
            PARSES.incrementAndGet();
            try {
                return Checkpoint.read(bytes.get(), "scoring model " + k).model();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Models this JVM has parsed. */
    static long parses() {
        return PARSES.get();
    }
}
