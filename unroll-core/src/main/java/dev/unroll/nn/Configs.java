package dev.unroll.nn;

import java.util.Map;

/** Typed reads from a layer configuration map, with errors naming the missing or mistyped key. */
final class Configs {
    private Configs() {
    }

    private static Object get(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("layer configuration: missing '" + key + "' in " + c);
        }
        return v;
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

    static boolean bool(Map<String, Object> c, String key) {
        Object v = get(c, key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("layer configuration: '" + key + "' should be true or false, got " + v);
        }
        return b;
    }
}
