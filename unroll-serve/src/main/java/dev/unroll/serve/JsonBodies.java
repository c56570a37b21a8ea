package dev.unroll.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * Request and response bodies, with Jackson's streaming parser and generator: a request is one
 * JSON object of known fields, its arrays read number by number into a flat float array (no tree,
 * no boxing), each dimension checked against its limit as it grows — so a request over a limit is
 * refused before the server holds more than the limit. Floats go out in their shortest form that
 * reads back to the same bits.
 *
 * <p>Strict: duplicate or unknown fields, missing required ones, ragged arrays, non-numbers and
 * numbers outside float's finite range are a 400 naming the place ({@code inputs[0][3][1]}).
 */
final class JsonBodies {
    /** Deepest nesting a request may have: an object holding an array of rank 3. */
    private static final int MAX_DEPTH = 8;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100).build())
            .build();

    private JsonBodies() {
    }

    // ------------------------------------------------------------------ reading

    /** A field a request may hold; {@link #read} checks and converts it. */
    abstract static class Field {
        final String name;
        final boolean required;

        Field(String name, boolean required) {
            this.name = name;
            this.required = required;
        }

        abstract Object read(JsonParser p) throws IOException;
    }

    /**
     * An array of floats of the given rank; dimension d is at most {@code max[d]} (its option named
     * by {@code option[d]}, a 413 above it) or, where {@code exact[d] > 0}, exactly that (a 400
     * otherwise).
     */
    static Field floats(String name, String[] dims, int[] max, String[] option, int[] exact) {
        return new FloatsField(name, dims, max, option, exact);
    }

    /** The field of {@link #floats}; {@link FastBodies} reads its limits. */
    static final class FloatsField extends Field {
        final String[] dims;
        final int[] max;
        final String[] option;
        final int[] exact;

        FloatsField(String name, String[] dims, int[] max, String[] option, int[] exact) {
            super(name, true);
            this.dims = dims;
            this.max = max;
            this.option = option;
            this.exact = exact;
        }

        @Override
        Object read(JsonParser p) throws IOException {
            return new ArrayReader(name, dims, max, option, exact).read(p);
        }
    }

    /** An integer in {@code [min, max]} ({@code option} names the limit, a 413 above it). */
    static Field integer(String name, int min, int max, String option) {
        return new IntegerField(name, true, min, max, option);
    }

    /** {@link #integer}, optional. */
    static Field optionalInteger(String name, int min, int max, String option) {
        return new IntegerField(name, false, min, max, option);
    }

    /** A number in {@code [min, max]} (max may be infinite), optional, read as a double (a 400 outside). */
    static Field optionalNumber(String name, double min, double max) {
        return new Field(name, false) {
            @Override
            Object read(JsonParser p) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw ApiException.badRequest(name + ": expected a number, got " + describe(p));
                }
                double v = p.getDoubleValue();
                if (!(v >= min && v <= max)) {
                    String range = max == Double.POSITIVE_INFINITY ? "of at least " + plain(min) : "in [" + plain(min) + ", " + plain(max) + "]";
                    throw ApiException.badRequest(name + ": expected a number " + range + ", got " + p.getText());
                }
                return v;
            }
        };
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * An array of at least one and at most {@code max} strings ({@code option} names the limit, a
     * 413 above it).
     */
    static Field strings(String name, int max, String option) {
        return new Field(name, true) {
            @Override
            Object read(JsonParser p) throws IOException {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw ApiException.badRequest(name + ": expected an array of strings, got " + describe(p));
                }
                List<String> values = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (values.size() == max) {
                        throw ApiException.tooLarge(name + ": more than " + max + " strings (the limit, " + option + ")");
                    }
                    if (t != JsonToken.VALUE_STRING) {
                        throw ApiException.badRequest(name + "[" + values.size() + "]: expected a string, got " + describe(p));
                    }
                    values.add(p.getText());
                }
                if (values.isEmpty()) {
                    throw ApiException.badRequest(name + ": an empty array; expected at least one string");
                }
                return values;
            }
        };
    }

    /** The field of {@link #integer}; {@link FastBodies} reads its range. */
    static final class IntegerField extends Field {
        final int min;
        final int max;
        final String option;

        IntegerField(String name, boolean required, int min, int max, String option) {
            super(name, required);
            this.min = min;
            this.max = max;
            this.option = option;
        }

        @Override
        Object read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw ApiException.badRequest(name + ": expected an integer, got " + describe(p));
            }
            long v = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : p.getLongValue();
            if (v < min) {
                throw ApiException.badRequest(name + ": expected at least " + min + ", got " + p.getText());
            }
            if (v > max) {
                throw ApiException.tooLarge(name + ": " + p.getText() + " exceeds the limit of " + max + " (" + option + ")");
            }
            return (int) v;
        }
    }

    /** A string, optional. */
    static Field optionalText(String name) {
        return new Field(name, false) {
            @Override
            Object read(JsonParser p) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    throw ApiException.badRequest(name + ": expected a string, got " + describe(p));
                }
                return p.getText();
            }
        };
    }

    /** A string, required. */
    static Field text(String name) {
        Field optional = optionalText(name);
        return new Field(name, true) {
            @Override
            Object read(JsonParser p) throws IOException {
                return optional.read(p);
            }
        };
    }

    /** A float array read from a request, row-major, with its shape. */
    record Floats(float[] values, int[] shape) {
    }

    /**
     * Reads {@code body} as one JSON object holding only {@code fields} (each at most once; the
     * required ones at least once); an empty body reads as {@code {}}. Returns the fields' values
     * by name.
     */
    static Map<String, Object> read(byte[] body, Field... fields) {
        if (body.length == 0 || isBlank(body)) {
            Map<String, Object> values = new HashMap<>();
            requirePresent(values, fields);
            return values;
        }
        Map<String, Object> fast = FastBodies.read(body, fields);
        return fast != null ? fast : readWithJackson(body, fields);
    }

    /** {@link #read} by Jackson's tokenizer alone: what decides every error, and what the fast path must equal. */
    static Map<String, Object> readWithJackson(byte[] body, Field... fields) {
        Map<String, Object> values = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("expected a JSON object " + expectedFields(fields) + ", got " + describe(p));
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                Field field = null;
                for (Field f : fields) {
                    if (f.name.equals(name)) {
                        field = f;
                    }
                }
                if (field == null) {
                    throw ApiException.badRequest("unknown field '" + name + "'; expected " + expectedFields(fields));
                }
                p.nextToken();
                values.put(name, field.read(p));
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            // Jackson's message names its input source ("[Source: REDACTED ...; line: 1, column: 12]"): only the place matters.
            String message = e.getOriginalMessage().replaceAll("\\[Source: [^]]*; line: (\\d+), column: (\\d+)]", "line $1, column $2");
            throw ApiException.badRequest("malformed JSON: " + message + " (at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requirePresent(values, fields);
        return values;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static void requirePresent(Map<String, Object> values, Field[] fields) {
        for (Field f : fields) {
            if (f.required && !values.containsKey(f.name)) {
                throw ApiException.badRequest("missing field '" + f.name + "'; expected " + expectedFields(fields));
            }
        }
    }

    private static String expectedFields(Field[] fields) {
        List<String> names = new ArrayList<>();
        for (Field f : fields) {
            names.add(f.name + (f.required ? "" : " (optional)"));
        }
        return names.isEmpty() ? "no fields" : "{" + String.join(", ", names) + "}";
    }

    /** What the parser is on, in words, for messages. */
    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    /** Reads one nested array of floats, checking its dimensions as they grow. */
    private static final class ArrayReader {
        private final String name;
        private final String[] dims;
        private final int[] max;
        private final String[] option;
        private final int[] exact;
        private final int rank;
        /** Sizes found so far: dimension d's size is fixed by the first sub-array that completes it. */
        private final int[] shape;
        private final int[] index;
        private float[] values = new float[256];
        private int count;

        ArrayReader(String name, String[] dims, int[] max, String[] option, int[] exact) {
            this.name = name;
            this.dims = dims;
            this.max = max;
            this.option = option;
            this.exact = exact;
            this.rank = dims.length;
            this.shape = new int[rank];
            Arrays.fill(shape, -1);
            this.index = new int[rank];
        }

        Floats read(JsonParser p) throws IOException {
            readLevel(p, 0);
            return new Floats(Arrays.copyOf(values, count), shape.clone());
        }

        private void readLevel(JsonParser p, int d) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw ApiException.badRequest(where(d) + ": expected an array of " + dims[d] + " (" + shapeWords() + "), got "
                        + describe(p));
            }
            // One bound per element: whichever of the limit, the model's size and the first sibling's size is smallest.
            int bound = Math.min(max[d], Math.min(exact[d] > 0 ? exact[d] : Integer.MAX_VALUE, shape[d] >= 0 ? shape[d] : Integer.MAX_VALUE));
            int n = 0;
            boolean numbers = d == rank - 1;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (n == bound) {
                    throw tooMany(d, n);
                }
                index[d] = n;
                if (numbers) {
                    add(p, t);
                } else {
                    readLevel(p, d + 1);
                }
                n++;
            }
            if (n == 0) {
                throw ApiException.badRequest(where(d) + ": an empty array; expected at least one of " + dims[d]);
            }
            if (exact[d] > 0 && n != exact[d]) {
                throw ApiException.badRequest(where(d) + ": " + n + " " + dims[d] + "; the model reads " + exact[d]);
            }
            if (shape[d] < 0) {
                shape[d] = n;
            } else if (n != shape[d]) {
                throw ragged(d, n);
            }
        }

        /** The error for an array at depth d that goes on past {@code n} elements, its bound. */
        private ApiException tooMany(int d, int n) {
            if (n == max[d]) {
                return ApiException.tooLarge(where(d) + ": more than " + max[d] + " " + dims[d] + " (the limit, " + option[d] + ")");
            }
            if (exact[d] > 0 && n == exact[d]) {
                return ApiException.badRequest(where(d) + ": more than " + exact[d] + " " + dims[d] + "; the model reads " + exact[d]);
            }
            return ragged(d, n + 1);
        }

        private ApiException ragged(int d, int n) {
            return ApiException.badRequest(where(d) + ": " + (n > shape[d] ? "more than " + shape[d] : Integer.toString(n)) + " "
                    + dims[d] + ", but earlier ones have " + shape[d] + " (arrays must be rectangular: " + shapeWords() + ")");
        }

        private void add(JsonParser p, JsonToken t) throws IOException {
            float v;
            if (t == JsonToken.VALUE_NUMBER_INT && p.getTextLength() <= 7) {
                // Up to 7 digits (and a sign): an int below 2^24, exactly a float; the common "0" of an image.
                v = p.getIntValue();
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                v = p.getFloatValue();
                if (!Float.isFinite(v)) {
                    throw ApiException.badRequest(where(rank) + ": " + p.getText() + " is outside the range of finite floats");
                }
            } else {
                throw ApiException.badRequest(where(rank) + ": expected a number, got " + describe(p));
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, 2 * count);
            }
            values[count++] = v;
        }

        /** {@code inputs[2][5]}: the place being read, down to depth d. */
        private String where(int d) {
            StringBuilder sb = new StringBuilder(name);
            for (int i = 0; i < d; i++) {
                sb.append('[').append(index[i]).append(']');
            }
            return sb.toString();
        }

        private String shapeWords() {
            return "[" + String.join(", ", dims) + "]";
        }
    }

    // ------------------------------------------------------------------ writing

    /** A JSON object written field by field into bytes. */
    static final class Writer {
        /** Null for a writer of one element of {@link #objects}, which writes on its parent's generator. */
        private final ByteArrayOutputStream bytes;
        private final JsonGenerator g;

        /** One write on the generator (into memory: its IOException cannot happen). */
        @FunctionalInterface
        private interface Write {
            void run() throws IOException;
        }

        private Writer(JsonGenerator parent) {
            this.bytes = null;
            this.g = parent;
        }

        Writer() {
            bytes = new ByteArrayOutputStream(256);
            try {
                g = FACTORY.createGenerator(bytes);
                g.writeStartObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Writer write(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** {@code name: values} as nested arrays of the given shape. */
        Writer floats(String name, float[] values, int offset, int... shape) {
            return write(() -> {
                g.writeFieldName(name);
                writeLevel(values, offset, shape, 0);
            });
        }

        private int writeLevel(float[] v, int at, int[] shape, int d) throws IOException {
            g.writeStartArray();
            for (int i = 0; i < shape[d]; i++) {
                if (d == shape.length - 1) {
                    g.writeNumber(v[at++]);
                } else {
                    at = writeLevel(v, at, shape, d + 1);
                }
            }
            g.writeEndArray();
            return at;
        }

        Writer strings(String name, List<String> values) {
            return write(() -> {
                g.writeFieldName(name);
                g.writeStartArray();
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
            });
        }

        /** {@code name: [{...}, ...]}: {@code count} objects, element i's fields written by {@code element(writer, i)}. */
        Writer objects(String name, int count, ObjIntConsumer<Writer> element) {
            return write(() -> {
                g.writeFieldName(name);
                g.writeStartArray();
                Writer fields = new Writer(g);
                for (int i = 0; i < count; i++) {
                    g.writeStartObject();
                    element.accept(fields, i);
                    g.writeEndObject();
                }
                g.writeEndArray();
            });
        }

        Writer numbers(String name, double[] values) {
            return write(() -> {
                g.writeFieldName(name);
                g.writeArray(values, 0, values.length);
            });
        }

        Writer integers(String name, int[] values) {
            return write(() -> {
                g.writeFieldName(name);
                g.writeArray(values, 0, values.length);
            });
        }

        Writer number(String name, long value) {
            return write(() -> g.writeNumberField(name, value));
        }

        Writer bool(String name, boolean value) {
            return write(() -> g.writeBooleanField(name, value));
        }

        Writer text(String name, String value) {
            return write(() -> g.writeStringField(name, value));
        }

        /** {@code name: value}, or {@code name: null}. */
        Writer optionalText(String name, String value) {
            return value == null ? write(() -> g.writeNullField(name)) : text(name, value);
        }

        byte[] toBytes() {
            if (bytes == null) {
                throw new IllegalStateException("an element of objects(...) is part of its parent's bytes");
            }
            write(() -> {
                g.writeEndObject();
                g.close();
            });
            return bytes.toByteArray();
        }
    }

    /** {@code {"error": message, "status": status}}. */
    static byte[] error(int status, String message) {
        return new Writer().text("error", message).number("status", status).toBytes();
    }
}
