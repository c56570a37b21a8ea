package dev.unroll.serve;

import com.fasterxml.jackson.core.io.NumberInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The common request body read straight from its bytes: one object whose fields are arrays of
 * numbers and integers ({@code {"inputs": [[[0, 0.5, …]]], "horizon": 12}}). Jackson's tokenizer
 * spends most of a batch-1 request's parsing on the token machinery around each number (a 28×28
 * image is 784 of them); here a number is scanned once and converted on the spot.
 *
 * <p>This reader decides nothing: on anything it does not handle — a string field, an escape in a
 * name, a limit or a model size reached, a syntax error, a number it cannot convert exactly by the
 * fast rule below — it returns {@code null} and {@link JsonBodies#readWithJackson} reads the body,
 * giving the value or the error. So every error message and every limit stays Jackson's path's,
 * and for a body both read, both give the same fields and the same bits ({@code FastBodiesTest}).
 *
 * <p>Numbers: an integer token is converted as that path converts it (as an {@code int} up to 7
 * characters, so {@code -0} reads as 0; else rounded to the nearest float). A decimal of at most
 * 15 digits without exponent ({@code 0.32941177}) is {@code m / 10^k} in double — one correctly
 * rounded operation on exact operands — then rounded to float. Rounding twice is only wrong when
 * the double lands exactly halfway between two floats; that case, results that are subnormal or
 * out of float's range, longer numbers and exponents go to the exact parser Jackson's path uses.
 */
final class FastBodies {
    /** 10⁰ … 10¹⁵, exact in double: a mantissa of at most 15 digits is divided by one of them. */
    private static final double[] POWERS_OF_TEN = new double[16];
    /** The bits of a double's mantissa below a float's: exactly half means a float midpoint. */
    private static final long BELOW_FLOAT_PRECISION = (1L << 29) - 1;
    private static final long FLOAT_MIDPOINT = 1L << 28;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /** What a scanning step returns instead of the next position: the body is Jackson's to read. */
    private static final int DEFER = -1;

    private final byte[] b;
    /** The value of the last number scanned. */
    private float number;
    /** The value of the last field scanned. */
    private Object value;
    /** The field of the last name scanned. */
    private JsonBodies.Field field;

    private FastBodies(byte[] body) {
        this.b = body;
    }

    /** The fields of {@code body}, or null where {@link JsonBodies#readWithJackson} must read it. */
    static Map<String, Object> read(byte[] body, JsonBodies.Field... fields) {
        return new FastBodies(body).object(fields);
    }

    // Every step below takes the position to scan from and returns the position after what it
    // scanned, or DEFER. (Positions in locals, not a field, so the loops keep them in registers.)

    private Map<String, Object> object(JsonBodies.Field[] fields) {
        int p = expect(skipSpace(0), '{');
        if (p == DEFER) {
            return null;
        }
        Map<String, Object> values = new HashMap<>();
        p = skipSpace(p);
        if (p < b.length && b[p] == '}') {
            p++;
        } else {
            while (true) {
                p = fieldName(skipSpace(p), fields);
                if (p == DEFER || values.containsKey(field.name) || (p = expect(skipSpace(p), ':')) == DEFER) {
                    return null;
                }
                p = skipSpace(p);
                p = field instanceof JsonBodies.FloatsField f ? floats(p, f)
                        : field instanceof JsonBodies.IntegerField i ? integer(p, i) : DEFER;
                if (p == DEFER) {
                    return null;
                }
                values.put(field.name, value);
                p = skipSpace(p);
                if (p == b.length) {
                    return null;
                }
                byte c = b[p++];
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    return null;
                }
            }
        }
        if (skipSpace(p) != b.length) {
            return null;
        }
        for (JsonBodies.Field f : fields) {
            if (f.required && !values.containsKey(f.name)) {
                return null;
            }
        }
        return values;
    }

    /** A quoted name of plain ASCII (no escape) that is one of {@code fields}, into {@link #field}. */
    private int fieldName(int p, JsonBodies.Field[] fields) {
        if ((p = expect(p, '"')) == DEFER) {
            return DEFER;
        }
        int start = p;
        while (p < b.length && b[p] != '"') {
            if (b[p] == '\\' || b[p] < 0x20) {
                return DEFER;   // escapes, control characters and non-ASCII names: Jackson's to read or refuse
            }
            p++;
        }
        if (p == b.length) {
            return DEFER;
        }
        String name = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        for (JsonBodies.Field f : fields) {
            if (f.name.equals(name)) {
                field = f;
                return p + 1;
            }
        }
        return DEFER;
    }

    /** An integer token of at most 7 characters (exactly an int, and a float) within the field's range. */
    private int integer(int p, JsonBodies.IntegerField f) {
        int end = number(p);
        if (end == DEFER || end - p > 7 || number < f.min || number > f.max) {
            return DEFER;
        }
        for (int i = p; i < end; i++) {
            if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                return DEFER;
            }
        }
        value = (int) number;
        return end;
    }

    private int floats(int p, JsonBodies.FloatsField f) {
        int[] shape = new int[f.dims.length];
        Arrays.fill(shape, -1);
        // A number and its comma take at least two bytes: this many values at most, whatever the shape.
        float[] values = new float[Math.min(b.length - p, 1 << 20) / 2 + 1];
        int[] count = {0};
        p = level(p, f, 0, shape, values, count);
        value = p == DEFER ? null : new JsonBodies.Floats(Arrays.copyOf(values, count[0]), shape);
        return p;
    }

    /** One nested array at depth d, checked against the field's limits as it grows. */
    private int level(int p, JsonBodies.FloatsField f, int d, int[] shape, float[] values, int[] count) {
        if (p == b.length || b[p] != '[') {
            return DEFER;
        }
        p = skipSpace(p + 1);
        if (p < b.length && b[p] == ']') {
            return DEFER;   // an empty array is an error
        }
        int bound = Math.min(f.max[d], Math.min(f.exact[d] > 0 ? f.exact[d] : Integer.MAX_VALUE,
                shape[d] >= 0 ? shape[d] : Integer.MAX_VALUE));
        boolean numbers = d == shape.length - 1;
        int n = 0;
        int c = count[0];
        while (true) {
            if (n == bound) {
                return DEFER;
            }
            p = skipSpace(p);
            if (numbers) {
                if (c == values.length || (p = number(p)) == DEFER) {
                    return DEFER;
                }
                values[c++] = number;
            } else if ((p = level(p, f, d + 1, shape, values, count)) == DEFER) {
                return DEFER;
            }
            n++;
            p = skipSpace(p);
            if (p == b.length) {
                return DEFER;
            }
            byte next = b[p++];
            if (next == ']') {
                break;
            }
            if (next != ',') {
                return DEFER;
            }
        }
        if (numbers) {
            count[0] = c;
        }
        if ((f.exact[d] > 0 && n != f.exact[d]) || (shape[d] >= 0 && n != shape[d])) {
            return DEFER;
        }
        shape[d] = n;
        return p;
    }

    /**
     * One JSON number, {@code -?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?}, into {@link #number};
     * DEFER if it is not one or not a finite float.
     */
    private int number(int p) {
        final byte[] b = this.b;
        // One digit before a comma or bracket: the commonest number of all (an image's 0), kept short so C2 inlines it.
        if (p + 1 < b.length && b[p] >= '0' && b[p] <= '9' && (b[p + 1] == ',' || b[p + 1] == ']')) {
            number = b[p] - '0';
            return p + 1;
        }
        return anyNumber(p);
    }

    private int anyNumber(int p) {
        final byte[] b = this.b;
        int start = p;
        boolean negative = p < b.length && b[p] == '-';
        if (negative) {
            p++;
        }
        // The first 16 digits (leading zeros included) in the mantissa: more than 15 go to the exact parser.
        long mantissa = 0;
        int digits = 0;
        int intStart = p;
        for (int v; p < b.length && (v = b[p] - '0') >= 0 && v <= 9; p++, digits++) {
            mantissa = digits < 16 ? mantissa * 10 + v : mantissa;
        }
        int intDigits = p - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            return DEFER;     // no digit, or a leading zero
        }
        int scale = 0;        // the power of ten the mantissa's digits are short of
        boolean integer = true;
        if (p < b.length && b[p] == '.') {
            integer = false;
            int fracStart = ++p;
            for (int v; p < b.length && (v = b[p] - '0') >= 0 && v <= 9; p++, digits++) {
                mantissa = digits < 16 ? mantissa * 10 + v : mantissa;
            }
            if (p == fracStart) {
                return DEFER;
            }
            scale = fracStart - p;
        }
        if (p < b.length && (b[p] == 'e' || b[p] == 'E')) {
            return exponent(p + 1, start);
        }
        if (digits > 15) {
            return exact(start, p);
        }
        if (integer && p - start <= 7) {
            number = (float) (negative ? -mantissa : mantissa);   // Jackson's path reads these as an int: -0 is 0
            return p;
        }
        if (mantissa == 0) {
            number = negative ? -0f : 0f;
            return p;
        }
        double d = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa;
        if (d < Float.MIN_NORMAL || d > Float.MAX_VALUE
                || (Double.doubleToRawLongBits(d) & BELOW_FLOAT_PRECISION) == FLOAT_MIDPOINT) {
            return exact(start, p);
        }
        number = negative ? (float) -d : (float) d;
        return p;
    }

    /** The rest of a number with an exponent (from its first character after the e): rare, by the exact parser. */
    private int exponent(int p, int start) {
        if (p < b.length && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        int expStart = p;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        return p == expStart ? DEFER : exact(start, p);
    }

    /** The number from {@code start} to {@code end} by the exact parser Jackson's path uses. */
    private int exact(int start, int end) {
        if (end - start > 100) {
            return DEFER;     // over Jackson's number length limit: its error
        }
        number = NumberInput.parseFloat(new String(b, start, end - start, StandardCharsets.ISO_8859_1), true);
        return Float.isFinite(number) ? end : DEFER;
    }

    private int skipSpace(int p) {
        while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private int expect(int p, char c) {
        return p < b.length && b[p] == c ? p + 1 : DEFER;
    }
}
