package dev.unroll.fuzz;

import dev.unroll.io.Json;
import dev.unroll.io.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link Json#parse}: what it accepts must write back to JSON that parses to the same value (the
 * reader and the writer agree), and the only failure is a {@link JsonException}.
 */
final class JsonTarget implements FuzzTarget {
    private final List<byte[]> seeds;

    JsonTarget(List<byte[]> checkpointSeeds) {
        List<String> texts = new java.util.ArrayList<>(List.of(
                "{\"a\": [1, 2.5, -3e2, 0, -0.0, 1E+2], \"s\": \"x\\n\\u00e9\\\"\\ud83d\\ude00\", \"t\": true, \"f\": false, \"n\": null}",
                "[[[[{\"k\": {}}]]], [], \"\", 123456789012345678901234567890]",
                "{\"__metadata__\": {\"unroll.format\": \"1\"}, \"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}"));
        for (byte[] checkpoint : checkpointSeeds) {
            texts.add(SafeTensorsTarget.headerText(checkpoint));
        }
        this.seeds = texts.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) {
        Object value = Json.parse(new String(input, StandardCharsets.UTF_8));
        Object again = Json.parse(Json.write(value));
        if (!numbersAsDoubles(value).equals(numbersAsDoubles(again))) {
            throw new AssertionError("written and read back, " + value + " became " + again);
        }
    }

    /**
     * The value with every number as a double: the writer writes an integral double as an integer
     * (and -0.0 as 0), which reads back as a Long of the same value.
     */
    private static Object numbersAsDoubles(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == 0 ? 0.0 : d;
        }
        if (v instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, numbersAsDoubles(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(JsonTarget::numbersAsDoubles).toList();
        }
        return v == null ? "null" : v;
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof JsonException;
    }
}
