package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject("{\"a\": [1, 2.5, -3e2], \"s\": \"x\\n\\u00e9\\\"\", \"t\": true, \"n\": null, \"o\": {}}");
        assertEquals(List.of(1L, 2.5, -300.0), m.get("a"));
        assertEquals("x\né\"", m.get("s"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertNull(m.get("n"));
        assertEquals(Map.of(), m.get("o"));
    }

    @Test
    void writeThenParseRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cell", "lstm");
        m.put("layers", 2);
        m.put("lr", 0.001);
        m.put("lengths", List.of(2, 1, 2, 2));
        m.put("nested", Map.of("k", List.of(Map.of("x", 1))));
        assertEquals(Json.parse(Json.write(m)), Json.parse(Json.writePretty(m)));
        assertEquals("{\"cell\":\"lstm\",\"layers\":2,\"lr\":0.001,\"lengths\":[2,1,2,2],\"nested\":{\"k\":[{\"x\":1}]}}", Json.write(m));
    }

    @Test
    void errorsSayWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertTrue(e.getMessage().contains("character"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void nestingIsLimitedSoBracketsCannotOverflowTheStack() {
        String deep = "[".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested more than " + Json.maxDepth()), e.getMessage());
        String ok = "[".repeat(Json.maxDepth()) + "]".repeat(Json.maxDepth());
        assertEquals(List.class.isInstance(Json.parse(ok)), true);
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":".repeat(Json.maxDepth() + 1) + "1" + "}".repeat(Json.maxDepth() + 1)));
    }

    @Test
    void numbersAreRfc8259Decimals() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(1.5e-3, Json.parse("1.5E-3"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"), "beyond 64 bits becomes a double");
        for (String bad : List.of("01", "-01", "5.", ".5", "1e", "1e+", "+1", "-", "0x10", "1.e3", "1e400", "-1e400", "NaN", "Infinity",
                "--1", "1.5.2")) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void stringsAreStrict() {
        assertEquals("A\u00e9\uD83D\uDE00", Json.parse("\"\\u0041\\u00E9\\uD83D\\uDE00\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\uD83D\uDE00\""), "a raw pair is fine");
        for (String bad : List.of("\"\\u12\"", "\"\\u+041\"", "\"\\u-041\"", "\"\\u004G\"", "\"\\u", "\"a\nb\"", "\"a\u0001\"",
                "\"\\uD83D\"", "\"\\uDE00\"", "\"\\uD83Dx\"", "\"\uD83D\"", "\"\uDE00\"", "\"\\x41\"", "\"abc")) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("at character"), e.getMessage());
        }
    }

    @Test
    void onlyJsonWhitespaceSeparatesTokens() {
        assertEquals(List.of(1L, 2L), Json.parse(" \t\r\n[1,\n 2]\n"));
        assertThrows(JsonException.class, () -> Json.parse("\u00a0[1]"));
        assertThrows(JsonException.class, () -> Json.parse("[1,\u000b2]"));
    }

    @Test
    void writingRefusesWhatCouldNotBeReadBack() {
        assertEquals("\"\\u0001\uD83D\uDE00\"", Json.write("\u0001\uD83D\uDE00"));
        assertThrows(IllegalArgumentException.class, () -> Json.write("bad \uD83D end"));
        assertEquals("\u0001", Json.parse(Json.write("\u0001")));
    }
}
