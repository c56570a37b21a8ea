package dev.unroll.onnx;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads of node attributes, with errors that name the node, the attribute and what was expected. */
final class Nodes {
    private Nodes() {
    }

    /** An error about {@code node}. */
    static OnnxException fail(OnnxNode node, String message) {
        return new OnnxException(node.describe() + ": " + message);
    }

    private static OnnxAttribute typed(OnnxNode node, String name, int type) throws OnnxException {
        OnnxAttribute a = node.attribute(name);
        if (a != null && a.type() != type) {
            throw fail(node, "attribute " + name + " should be of type " + OnnxAttribute.typeName(type)
                    + ", got " + a.typeName());
        }
        return a;
    }

    static long intAttribute(OnnxNode node, String name, long fallback) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.INT);
        return a == null ? fallback : a.i();
    }

    static float floatAttribute(OnnxNode node, String name, float fallback) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.FLOAT);
        return a == null ? fallback : a.f();
    }

    static String stringAttribute(OnnxNode node, String name, String fallback) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.STRING);
        return a == null ? fallback : a.s().toLowerCase(Locale.ROOT);
    }

    /** An INTS attribute, or null if absent. */
    static long[] intsAttribute(OnnxNode node, String name) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.INTS);
        return a == null ? null : a.ints();
    }

    /** A FLOATS attribute, or null if absent. */
    static float[] floatsAttribute(OnnxNode node, String name) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.FLOATS);
        return a == null ? null : a.floats();
    }

    /** A STRINGS attribute, or null if absent. */
    static List<String> stringsAttribute(OnnxNode node, String name) throws OnnxException {
        OnnxAttribute a = typed(node, name, OnnxAttribute.STRINGS);
        return a == null ? null : a.strings();
    }

    /** Fails if the node has an attribute outside {@code known}. */
    static void onlyAttributes(OnnxNode node, Set<String> known) throws OnnxException {
        for (OnnxAttribute a : node.attributes()) {
            if (!known.contains(a.name())) {
                throw fail(node, "attribute " + a.name() + " is not supported (Unroll reads " + new TreeSet<>(known) + ")");
            }
        }
    }
}
