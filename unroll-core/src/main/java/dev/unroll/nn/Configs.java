package dev.unroll.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a layer configuration map, with errors naming the missing or mistyped key, and
 * the check that a configuration holds only keys its layer knows: a misspelled key
 * ({@code state_dopout}) would otherwise be ignored and its setting silently lost.
 */
final class Configs {
    private Configs() {
    }

    private static Object get(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("layer configuration: missing '" + key + "' in " + c.keySet());
        }
        return v;
    }

    /**
     * Every key of {@code c} must be one of {@code known}; otherwise an error naming the key, the
     * nearest known key (when one is close) and the known keys.
     */
    static void requireKnownKeys(String what, Map<String, ?> c, List<String> known) {
        for (String key : c.keySet()) {
            if (!known.contains(key)) {
                String nearest = nearest(key, known);
                throw new IllegalArgumentException(what + " configuration: unknown key '" + key + "'"
                        + (nearest == null ? "" : " (did you mean '" + nearest + "'?)") + "; known keys: " + String.join(", ", known));
            }
        }
    }

    /** The known key within a third of its length in edits of {@code key}, or null. */
    private static String nearest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance && d <= Math.max(2, k.length() / 3)) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance (keys are short; a key longer than 200 characters is never near). */
    static int editDistance(String a, String b) {
        if (a.length() > 200 || b.length() > 200) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    static String string(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be a string, got " + v);
        }
        return s;
    }

    static double number(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be a number, got " + v);
        }
        return n.doubleValue();
    }

    static int integer(Map<String, Object> c, String key) {
        double d = number(c, key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be an integer, got " + d);
        }
        return (int) d;
    }

    /** An integer of at least 1 (a size or a count). */
    static int positive(Map<String, Object> c, String key) {
        int v = integer(c, key);
        if (v < 1) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be at least 1, got " + v);
        }
        return v;
    }

    static boolean bool(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be true or false, got " + v);
        }
        return b;
    }

    /** A list of objects (e.g. a sequential model's layers). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be a list, got " + v);
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("layer configuration: each of '" + key + "' should be an object, got " + o);
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** An object (e.g. a layer's nested configuration). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be an object, got " + v);
        }
        return (Map<String, Object>) m;
    }

    /**
     * A layer of {@code parameters} values must fit in the heap (its values; training needs about
     * four times as much): checked before anything is allocated, so that a size typed with a digit
     * too many is a clear error rather than an {@link OutOfMemoryError}.
     */
    static void requireHeapFor(String layer, long parameters) {
        String count = parameters == Long.MAX_VALUE ? "more than 2^63" : Long.toString(parameters);
        if (parameters > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + ": " + count + " parameters, more than the 2^31-1 an Unroll model holds");
        }
        long bytes = Float.BYTES * parameters;
        if (!dev.unroll.tensor.Memory.couldHold(bytes)) {
            throw new IllegalArgumentException(layer + ": " + count + " parameters; that " + dev.unroll.tensor.Memory.tooLarge(bytes));
        }
    }

    /** {@code a + b} without overflow: {@link Long#MAX_VALUE} when it would overflow. */
    static long sum(long a, long b) {
        return count(a, 1, b);
    }

    /** {@code a · b + c} without overflow: {@link Long#MAX_VALUE} when it would overflow (no file holds that much). */
    static long count(long a, long b, long c) {
        try {
            return Math.addExact(Math.multiplyExact(a, b), c);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
