package dev.unroll.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a saved preprocessing configuration: errors name the missing or mistyped key,
 * and a key the reader does not know is an error (a misspelled setting would otherwise be lost).
 */
final class Configs {
    private Configs() {
    }

    static void requireKeys(String what, Map<String, ?> c, String... known) {
        List<String> keys = List.of(known);
        for (String key : c.keySet()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(what + ": unknown key '" + key + "'; known keys: " + String.join(", ", keys));
            }
        }
    }

    private static Object get(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("preprocessing: missing '" + key + "' in " + c.keySet());
        }
        return v;
    }

    static String string(Map<String, Object> c, String key) {
        if (!(get(c, key) instanceof String s)) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be a string, got " + c.get(key));
        }
        return s;
    }

    static double number(Map<String, Object> c, String key) {
        if (!(get(c, key) instanceof Number n)) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be a number, got " + c.get(key));
        }
        return n.doubleValue();
    }

    static int integer(Map<String, Object> c, String key, int min, int max) {
        double d = number(c, key);
        if (d != Math.rint(d) || d < min || d > max) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be an integer in [" + min + ", " + max + "], got " + d);
        }
        return (int) d;
    }

    static boolean bool(Map<String, Object> c, String key) {
        if (!(get(c, key) instanceof Boolean b)) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be true or false, got " + c.get(key));
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> c, String key) {
        if (!(get(c, key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be an object, got " + c.get(key));
        }
        return (Map<String, Object>) m;
    }

    static List<Object> list(Map<String, Object> c, String key) {
        if (!(get(c, key) instanceof List<?> l)) {
            throw new IllegalArgumentException("preprocessing: '" + key + "' should be a list, got " + c.get(key));
        }
        return new ArrayList<>(l);
    }

    static List<String> strings(Map<String, Object> c, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(c, key)) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("preprocessing: '" + key + "' should be a list of strings, got " + o);
            }
            out.add(s);
        }
        return out;
    }

    static double[] numbers(Map<String, Object> c, String key) {
        List<Object> l = list(c, key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException("preprocessing: '" + key + "' should be a list of finite numbers, got " + l.get(i));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
