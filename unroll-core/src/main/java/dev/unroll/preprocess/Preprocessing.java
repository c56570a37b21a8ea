package dev.unroll.preprocess;

import dev.unroll.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model needs done to raw inputs before it sees them — and to its outputs after — fitted on
 * the training data and saved in the checkpoint with the model (as Keras's preprocessing layers
 * are), so that the transform that trained is the transform that predicts. Stored in the
 * checkpoint's metadata under {@link #METADATA_KEY} as JSON {@code {"kind": ..., "version": 1, ...}};
 * {@link #fromMetadata} reads it back, and a kind or version it does not know is an error.
 */
public interface Preprocessing {
    /** Metadata key of the saved preprocessing. */
    String METADATA_KEY = "unroll.preprocessing";
    /** Version of the saved form; a later Unroll that changes it reads this one or says it cannot. */
    int FORMAT_VERSION = 1;

    /** The kind, e.g. {@code "series"}. */
    String kind();

    /** Everything needed to rebuild it (without {@code kind} and {@code version}). */
    Map<String, Object> config();

    /** The metadata entry that saves this preprocessing. */
    default Map<String, String> toMetadata() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("kind", kind());
        all.put("version", FORMAT_VERSION);
        all.putAll(config());
        return Map.of(METADATA_KEY, Json.write(all));
    }

    /** The preprocessing saved in checkpoint metadata, or null when there is none. */
    static Preprocessing fromMetadata(Map<String, String> metadata) {
        String json = metadata.get(METADATA_KEY);
        if (json == null) {
            return null;
        }
        Map<String, Object> all = new LinkedHashMap<>(Json.parseObject(json));
        Object kind = all.remove("kind");
        Object version = all.remove("version");
        if (!(version instanceof Long v) || v != FORMAT_VERSION) {
            throw new IllegalArgumentException(METADATA_KEY + ": version " + version + " is not one this Unroll reads ("
                    + FORMAT_VERSION + ")");
        }
        if ("series".equals(kind)) {
            return SeriesPreprocessing.fromConfig(all);
        }
        if (TextPreprocessing.KIND.equals(kind)) {
            return TextPreprocessing.fromConfig(all);
        }
        throw new IllegalArgumentException(METADATA_KEY + ": unknown kind '" + kind + "'; expected series or text");
    }
}
