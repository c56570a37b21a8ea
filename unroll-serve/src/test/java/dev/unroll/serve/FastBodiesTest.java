package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast reader gives exactly what Jackson's path gives, bit for bit, on every body it reads,
 * and leaves every body it should not read (errors, limits, what it does not handle) to that path.
 */
class FastBodiesTest {
    private static final JsonBodies.Field INPUTS = JsonBodies.floats("inputs", new String[] {"sequences", "steps", "features"},
            new int[] {8, 16, Integer.MAX_VALUE}, new String[] {"--max-batch", "--max-steps", null}, new int[] {0, 0, 3});
    private static final JsonBodies.Field HORIZON = JsonBodies.integer("horizon", 1, 50, "--max-horizon");

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertSameAsJackson(String json, JsonBodies.Field... fields) {
        Map<String, Object> fast = FastBodies.read(bytes(json), fields);
        assertNotNull(fast, "the fast reader declined " + json);
        Map<String, Object> jackson = JsonBodies.readWithJackson(bytes(json), fields);
        assertEquals(jackson.keySet(), fast.keySet(), json);
        for (String name : jackson.keySet()) {
            if (jackson.get(name) instanceof JsonBodies.Floats j) {
                JsonBodies.Floats f = (JsonBodies.Floats) fast.get(name);
                assertArrayEquals(j.shape(), f.shape(), json);
                assertEquals(j.values().length, f.values().length, json);
                for (int i = 0; i < j.values().length; i++) {
                    assertEquals(Float.floatToRawIntBits(j.values()[i]), Float.floatToRawIntBits(f.values()[i]),
                            "value " + i + " of " + json + ": Jackson " + j.values()[i] + ", fast " + f.values()[i]);
                }
            } else {
                assertEquals(jackson.get(name), fast.get(name), json);
            }
        }
    }

    /** A random number in one of the forms clients write. */
    private static String number(SplittableRandom rnd) {
        switch (rnd.nextInt(9)) {
            case 0:
                return "0";
            case 1:
                return Integer.toString(rnd.nextInt(-2_000_000_000, 2_000_000_000) >> rnd.nextInt(31));
            case 2:
                return Float.toString((float) rnd.nextGaussian());                        // Java's shortest form, e.g. 0.32941177
            case 3:
                return Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-30, 30)));   // 17 digits, exponents
            case 4: {
                float f = Float.intBitsToFloat(rnd.nextInt());                           // any finite float, subnormals too
                return Float.isFinite(f) ? Float.toString(f) : "1";
            }
            case 5:
                return String.format(Locale.ROOT, "%." + rnd.nextInt(1, 12) + "f", rnd.nextGaussian() * 100);
            case 6:
                return String.format(Locale.ROOT, "%." + rnd.nextInt(1, 9) + "e", rnd.nextGaussian()).replace("e+0", "E");
            case 7: {
                // Just above, at or below a float's midpoint: the double-rounding trap.
                float f = (float) rnd.nextGaussian();
                BigDecimal mid = new BigDecimal(f).add(new BigDecimal(Math.ulp(f)).divide(BigDecimal.valueOf(2)));
                BigDecimal nudge = new BigDecimal(Math.ulp(f)).movePointLeft(rnd.nextInt(6, 20)).multiply(BigDecimal.valueOf(rnd.nextInt(-1, 2)));
                // Rounded to 15 digits, often not the midpoint but nearest to it in double.
                return rnd.nextBoolean() ? mid.add(nudge).toPlainString() : mid.round(new MathContext(15)).toString();
            }
            default:
                return (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(0, 256) / 255f;   // an image's pixels
        }
    }

    @Test
    void randomBodiesReadAsJacksonReadsThem() {
        SplittableRandom rnd = new SplittableRandom(7);
        String[] spaces = {"", " ", "\n", " \t\r\n"};
        for (int body = 0; body < 3000; body++) {
            int batch = rnd.nextInt(1, 4);
            int steps = rnd.nextInt(1, 6);
            String sp = spaces[rnd.nextInt(spaces.length)];
            StringBuilder sb = new StringBuilder(sp + "{" + sp + "\"inputs\"" + sp + ":" + sp + "[");
            for (int s = 0; s < batch; s++) {
                sb.append(s > 0 ? "," + sp : "").append('[');
                for (int t = 0; t < steps; t++) {
                    sb.append(t > 0 ? "," : "").append(sp).append('[');
                    for (int k = 0; k < 3; k++) {
                        sb.append(k > 0 ? "," + sp : "").append(number(rnd));
                    }
                    sb.append(sp).append(']');
                }
                sb.append(']');
            }
            sb.append(']');
            boolean horizon = rnd.nextBoolean();
            if (horizon) {
                sb.append("," + sp + "\"horizon\":" + rnd.nextInt(1, 51));
            }
            sb.append(sp + "}" + sp);
            if (horizon) {
                assertSameAsJackson(sb.toString(), INPUTS, HORIZON);
            } else {
                assertSameAsJackson(sb.toString(), INPUTS);
            }
        }
    }

    @Test
    void theEdgesOfTheFastRuleReadAsJacksonReadsThem() {
        for (String n : new String[] {"-0", "-0.0", "0e5", "-0E-3", "1234567", "-123456", "12345678", "16777217", "123456789012345",
                "1234567890123456789", "99999999999999999999999", "3.4028235E38", "3.4028234663852886E38", "1.17549435E-38",
                "1.4E-45", "1e-22", "1e22", "1e23", "0.000000000000000000000001", "123456789012345.6", "0.1", "0.5294118",
                "0.32941177", "1.00000005960464477539", "1.0000000596046447753906", "33554435", "33554433.0000000001"}) {
            assertSameAsJackson("{\"inputs\": [[[" + n + ", 0, 1]]]}", INPUTS);
        }
        assertSameAsJackson("{\"horizon\": 50, \"inputs\": [[[1, 2, 3]]]}", INPUTS, HORIZON);
        assertSameAsJackson("{\"inputs\": [[[1, 2, 3]]], \"horizon\": -0}", INPUTS, JsonBodies.integer("horizon", 0, 50, "x"));
    }

    @Test
    void everyBodyItShouldNotDecideIsLeftToJackson() {
        for (String json : new String[] {
            "[]", "{\"inputs\": [[[1, 2, 3]]]", "{\"inputs\": [[[1, 2, 3]]]} x", "{\"inputs\": [[[1, 2, 3]]],}",
            "{\"inputs\": [[[1, 2, 3]]], \"inputs\": [[[1, 2, 3]]]}", "{\"input\\u0073\": [[[1, 2, 3]]]}", "{\"other\": 1}", "{}",
            "{\"inputs\": []}", "{\"inputs\": [[]]}", "{\"inputs\": [[[]]]}", "{\"inputs\": [[[1, 2]]]}", "{\"inputs\": [[[1, 2, 3, 4]]]}",
            "{\"inputs\": [[[1, 2, 3]], [[1, 2, 3], [4, 5, 6]]]}", "{\"inputs\": [[[1, 2, 3], [4, 5, 6]], [[1, 2, 3]]]}",
            "{\"inputs\": [[[01, 2, 3]]]}", "{\"inputs\": [[[1., 2, 3]]]}", "{\"inputs\": [[[.5, 2, 3]]]}", "{\"inputs\": [[[+1, 2, 3]]]}",
            "{\"inputs\": [[[-, 2, 3]]]}", "{\"inputs\": [[[1e, 2, 3]]]}", "{\"inputs\": [[[1e400, 2, 3]]]}", "{\"inputs\": [[[NaN, 2, 3]]]}",
            "{\"inputs\": [[[\"1\", 2, 3]]]}", "{\"inputs\": [[[null, 2, 3]]]}", "{\"inputs\": [[[1, 2, 3]]], \"horizon\": 51}",
            "{\"inputs\": [[[1, 2, 3]]], \"horizon\": 0}", "{\"inputs\": [[[1, 2, 3]]], \"horizon\": 1.5}", "{\"inputs\": [[[1, 2, 3],]]}",
            "{\"inputs\": " + "[".repeat(1) + "[[1, 2, 3]]".repeat(1) + ", [[1, 2, 3]]".repeat(8) + "]}",   // 9 sequences, limit 8
            "{\"inputs\": [[[1" + "0".repeat(120) + ", 2, 3]]]}"}) {
            // horizon is required where it is given, so that nothing else declines the body
            JsonBodies.Field[] fields = json.contains("horizon") ? new JsonBodies.Field[] {INPUTS, HORIZON} : new JsonBodies.Field[] {INPUTS};
            assertNull(FastBodies.read(bytes(json), fields), json);
        }
        assertNull(FastBodies.read(bytes("{\"state\": \"abc\"}"), JsonBodies.optionalText("state")), "strings are Jackson's");
    }
}
