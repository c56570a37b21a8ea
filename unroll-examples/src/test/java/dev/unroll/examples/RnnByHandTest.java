package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unroll.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Seed §4 against values computed by PyTorch 1.13 (tools/fixtures/s04_rnn_by_hand.py). */
class RnnByHandTest {

    @Test
    void matchesPyTorch() {
        JsonNode f = Fixtures.load("s04_rnn_by_hand.json");
        RnnByHand.Result r = RnnByHand.run(Fixtures.matrix(f.get("Wx")), Fixtures.matrix(f.get("Wy")),
                Fixtures.matrix(f.get("b")), Fixtures.matrix(f.get("X0")), Fixtures.matrix(f.get("X1")),
                Fixtures.matrix(f.get("target")));
        assertClose("Y0", Fixtures.matrix(f.get("Y0")), r.y0(), 1e-5, 0);
        assertClose("Y1", Fixtures.matrix(f.get("Y1")), r.y1(), 1e-5, 0);
        assertEquals(f.get("loss").asDouble(), r.loss(), 1e-6);
        assertClose("dWx", Fixtures.matrix(f.get("grad_Wx")), r.gradWx(), 1e-7, 1e-4);
        assertClose("dWy", Fixtures.matrix(f.get("grad_Wy")), r.gradWy(), 1e-7, 1e-4);
        assertClose("db", Fixtures.matrix(f.get("grad_b")), r.gradB(), 1e-7, 1e-4);
    }

    @Test
    void theSeedInputsAreUsed() {
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, RnnByHand.X0.toArray());
        assertArrayEquals(new float[] {9, 8, 7, 0, 0, 0, 6, 5, 4, 3, 2, 1}, RnnByHand.X1.toArray());
    }

    @Test
    void mainPrintsOutputsAndGradients() {
        String out = capture(() -> RnnByHand.main(new String[0]));
        for (String expected : new String[] {"Y0 =", "Y1 =", "dloss/dWx", "dloss/dWy", "dloss/db"}) {
            assertTrue(out.contains(expected), out);
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.toArray()[i];
            double a = actual.toArray()[i];
            assertTrue(Math.abs(e - a) <= atol + rtol * Math.abs(e),
                    what + "[" + i + "]: expected " + e + ", got " + a);
        }
    }

    static String capture(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
