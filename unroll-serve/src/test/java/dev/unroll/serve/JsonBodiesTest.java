package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Request bodies in, response bodies out: exact floats both ways, and every malformation named. */
class JsonBodiesTest {
    private static final JsonBodies.Field INPUTS = JsonBodies.floats("inputs", new String[] {"sequences", "steps", "features"},
            new int[] {4, 5, Integer.MAX_VALUE}, new String[] {"--max-batch", "--max-steps", null}, new int[] {0, 0, 2});

    private static Map<String, Object> read(String json, JsonBodies.Field... fields) {
        return JsonBodies.read(json.getBytes(StandardCharsets.UTF_8), fields);
    }

    private static ApiException refused(int status, String fragment, String json, JsonBodies.Field... fields) {
        ApiException e = assertThrows(ApiException.class, () -> read(json, fields));
        assertEquals(status, e.status, e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void floatsGoOutAndComeBackBitForBit() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] values = new float[2 * 3 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(rnd.nextInt()) ;
            if (!Float.isFinite(values[i])) {
                values[i] = (float) rnd.nextGaussian();
            }
        }
        values[0] = Float.MIN_VALUE;
        values[1] = -Float.MAX_VALUE;
        values[2] = -0f;
        values[3] = 16_777_217f;
        byte[] out = new JsonBodies.Writer().floats("inputs", values, 0, 2, 3, 2).toBytes();
        JsonBodies.Floats in = (JsonBodies.Floats) JsonBodies.read(out, INPUTS).get("inputs");
        assertArrayEquals(new int[] {2, 3, 2}, in.shape());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(in.values()[i]), "value " + i + ": " + values[i]);
        }
    }

    @Test
    void integersAndDecimalsReadAsTheFloatTheyName() {
        JsonBodies.Floats f = (JsonBodies.Floats) read("{\"inputs\": [[[0, -3], [1234567, 12345678], [0.1, 1e-3], [16777217, 3.4028235E38]]]}",
                INPUTS).get("inputs");
        assertArrayEquals(new float[] {0f, -3f, 1234567f, 12345678f, 0.1f, 1e-3f, 16777216f, Float.MAX_VALUE}, f.values());
    }

    @Test
    void shapesAndLimitsAreCheckedAsTheArraysGrow() {
        refused(413, "inputs: more than 4 sequences (the limit, --max-batch)", "{\"inputs\": [[[1,2]],[[1,2]],[[1,2]],[[1,2]],[[1,2]]]}", INPUTS);
        refused(413, "inputs[0]: more than 5 steps (the limit, --max-steps)", "{\"inputs\": [[[1,2],[1,2],[1,2],[1,2],[1,2],[1,2]]]}", INPUTS);
        refused(400, "inputs[0][0]: 1 features; the model reads 2", "{\"inputs\": [[[1]]]}", INPUTS);
        refused(400, "inputs[1]: more than 1 steps, but earlier ones have 1", "{\"inputs\": [[[1,2]],[[1,2],[3,4]]]}", INPUTS);
        refused(400, "inputs[1]: 1 steps, but earlier ones have 2", "{\"inputs\": [[[1,2],[3,4]],[[1,2]]]}", INPUTS);
        refused(400, "inputs[0][0][1]: expected a number, got null", "{\"inputs\": [[[1,null]]]}", INPUTS);
        refused(400, "inputs[0][0][0]: expected a number, got a boolean", "{\"inputs\": [[[true,1]]]}", INPUTS);
        refused(400, "inputs[0]: expected an array of steps", "{\"inputs\": [1]}", INPUTS);
        refused(400, "is outside the range of finite floats", "{\"inputs\": [[[1e39, 1]]]}", INPUTS);
        refused(400, "is outside the range of finite floats", "{\"inputs\": [[[-123456789012345678901234567890123456789012, 1]]]}", INPUTS);
    }

    @Test
    void theObjectHoldsKnownFieldsOnce() {
        JsonBodies.Field horizon = JsonBodies.integer("horizon", 1, 10, "--max-horizon");
        assertEquals(3, read("{\"horizon\": 3, \"inputs\": [[[1,2]]]}", INPUTS, horizon).get("horizon"));
        refused(400, "unknown field 'horizn'; expected {inputs, horizon}", "{\"horizn\": 3}", INPUTS, horizon);
        refused(400, "missing field 'horizon'", "{\"inputs\": [[[1,2]]]}", INPUTS, horizon);
        refused(400, "Duplicate field 'horizon'", "{\"horizon\": 3, \"horizon\": 4}", INPUTS, horizon);
        refused(400, "horizon: expected an integer, got the number 2.5", "{\"horizon\": 2.5}", INPUTS, horizon);
        refused(413, "horizon: 99999999999999999999 exceeds the limit of 10 (--max-horizon)", "{\"horizon\": 99999999999999999999}", horizon);
        refused(400, "expected a JSON object {inputs}, got an array", "[1]", INPUTS);
        refused(400, "unexpected content after the JSON object", "{\"inputs\": [[[1,2]]]} {}", INPUTS);
        refused(400, "malformed JSON", "{\"inputs\": [[[1,2]]]", INPUTS);
        assertEquals(Map.of(), read("  ", JsonBodies.optionalText("state")), "an empty body is an empty object");
        refused(400, "state: expected a string, got the number 1", "{\"state\": 1}", JsonBodies.optionalText("state"));
    }

    @Test
    void errorsAreObjectsWithTheirStatus() {
        assertEquals("{\"error\":\"bad \\\"thing\\\"\",\"status\":400}", new String(JsonBodies.error(400, "bad \"thing\""), StandardCharsets.UTF_8));
    }
}
