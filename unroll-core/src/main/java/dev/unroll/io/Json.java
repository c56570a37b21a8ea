package dev.unroll.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for safetensors headers and model configurations (the core
 * library has no dependencies). Objects become {@code LinkedHashMap<String, Object>} (key order
 * kept), arrays {@code List<Object>}, numbers {@code Long} when integral and within 64 bits and
 * {@code Double} otherwise, plus {@code String}, {@code Boolean} and {@code null}.
 *
 * <p>The reader is strict, as RFC 8259 is, because what it reads comes from files anyone can
 * edit: whitespace is space, tab, CR or LF only; numbers have no leading zeros, no bare {@code .}
 * or exponent, and must be finite doubles ({@code 1e400} is an error, not infinity); strings have no
 * raw control characters, <code>&#92;u</code> takes exactly four hex digits, and surrogates must pair;
 * keys are unique. Nesting is limited to {@link #maxDepth()} levels (default 64, system property
 * {@code unroll.json.maxDepth}), so a file of brackets cannot overflow the stack. Every problem is a
 * {@link JsonException} giving the character position.
 */
public final class Json {
    /** Default nesting limit: generous for configurations (five levels deep) and headers (three). */
    public static final int DEFAULT_MAX_DEPTH = 64;
    private static final int MAX_DEPTH = Integer.getInteger("unroll.json.maxDepth", DEFAULT_MAX_DEPTH);

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /** Arrays and objects may nest this many levels deep. */
    public static int maxDepth() {
        return MAX_DEPTH;
    }

    /** Parses one JSON value; trailing non-space characters are an error. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected trailing characters");
        }
        return v;
    }

    /** Parses a JSON object, or throws if the text holds another kind of value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("JSON: expected an object, got " + kind(v));
        }
        return (Map<String, Object>) v;
    }

    private JsonException error(String what) {
        int from = Math.max(0, pos - 20);
        int to = Math.min(text.length(), pos + 20);
        return new JsonException("JSON: " + what + " at character " + pos + " near '" + printable(text.substring(from, to)) + "'");
    }

    /** The excerpt of an error message, with control characters shown as escapes. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + printable(String.valueOf(c)) + "'");
            }
        };
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep (the limit; system property unroll.json.maxDepth)");
        }
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                throw error("duplicate key \"" + printable(key) + "\"");
            }
            map.put(key, value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                depth--;
                return map;
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                depth--;
                return list;
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("raw control character in a string (escape it)");
            }
            if (c == '\\') {
                pos++;
                c = escape();
            } else {
                pos++;
            }
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(lowSurrogate());
            } else if (Character.isLowSurrogate(c)) {
                pos--;
                throw error("lone low surrogate U+" + hex4(c));
            } else {
                sb.append(c);
            }
        }
    }

    /** The character of the escape at {@code pos} (just after the backslash). */
    private char escape() {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char e = text.charAt(pos++);
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> {
                pos--;
                throw error("bad escape \\" + printable(String.valueOf(e)));
            }
        };
    }

    /** Exactly four hex digits (no sign, no fewer). */
    private char unicodeEscape() {
        if (pos + 4 > text.length()) {
            throw error("\\u needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexDigit(text.charAt(pos + i));
            if (d < 0) {
                throw error("\\u needs four hex digits");
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    /** The low surrogate that must follow a high one, raw or escaped. */
    private char lowSurrogate() {
        int at = pos;
        char c;
        if (pos < text.length() && text.charAt(pos) == '\\') {
            pos++;
            c = escape();
        } else if (pos < text.length()) {
            c = text.charAt(pos++);
        } else {
            c = 0;
        }
        if (!Character.isLowSurrogate(c)) {
            pos = at;
            throw error("high surrogate without its low surrogate");
        }
        return c;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    /** {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}, finite. */
    private Object number() {
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '0') {
            pos++;
            if (pos < text.length() && isDigit(text.charAt(pos))) {
                throw error("leading zero in a number");
            }
        } else if (digits() == 0) {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            integral = false;
            if (digits() == 0) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            integral = false;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw error("expected a digit in the exponent");
            }
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException beyond64Bits) {
                // Falls through to a double, like other readers do for integers this large.
            }
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number " + (s.length() > 30 ? s.substring(0, 30) + "..." : s) + " is beyond the range of a double");
        }
        return d;
    }

    private int digits() {
        int from = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        return pos - from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private static String kind(Object v) {
        return v == null ? "null" : v instanceof List ? "an array" : v.getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ writing

    /** Compact JSON for a value built from maps, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /** Indented JSON (two spaces), for files people read. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 2, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int indent, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append((long) d);
            } else {
                sb.append(v instanceof Float f ? Float.toString(f) : Double.toString(d));
            }
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (i++ > 0) {
                    sb.append(',');
                }
                newline(sb, indent, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(indent >= 0 ? ": " : ":");
                write(sb, e.getValue(), indent, depth + 1);
            }
            if (!map.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append('}');
        } else if (v instanceof List<?> list) {
            sb.append('[');
            boolean flat = list.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(flat && indent >= 0 ? ", " : ",");
                }
                if (!flat) {
                    newline(sb, indent, depth + 1);
                }
                write(sb, list.get(i), indent, depth + 1);
            }
            if (!flat && !list.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("JSON: cannot write " + v.getClass().getName());
        }
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // UTF-8 cannot encode it, and the reader would refuse it: fail now, not at load time.
                        throw new IllegalArgumentException("JSON: cannot write a lone surrogate U+" + hex4(c) + " (in \""
                                + s.substring(0, Math.min(s.length(), 40)).replace(c, '?') + "\")");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
