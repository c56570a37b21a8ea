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
    void nestingIsBoundedSoUntrustedTextCannotOverflowTheStack() {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(Json.parse(deepest) instanceof List<?>);
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(tooDeep));
        assertTrue(e.getMessage().contains("nested deeper than 256 levels"), e.getMessage());
        String hostile = "{\"a\": ".repeat(1_000_000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(hostile));
    }
}
