package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed §17 with short sequences: each part shows its effect (the core tests assert them in detail). */
class LongSequencesTest {

    @Test
    void eachRemedyShowsItsEffect() {
        Printed printed = new Printed();
        LongSequences.Result r = LongSequences.run(new LongSequences.Settings(40, 120, 20, 100, 2, 42), printed.out);

        Map<String, Double> reach = r.gradientReach();
        assertTrue(reach.get("relu, He + identity (IRNN)") > 0.5, reach.toString());
        assertTrue(reach.get("tanh, PyTorch default U(±1/√H)") < 1e-6, reach.toString());
        assertTrue(reach.get("tanh, N(0, 1) as the seed's §4") > 1e6, reach.toString());

        assertTrue(r.activationScale().get("layer 2")[1] > 100 * r.activationScale().get("layer 2")[0], printed.text());
        assertEquals(1.0, r.activationScale().get("layer 2 + layer norm")[1], 1e-3);

        assertTrue(r.unclippedFailure() != null && r.unclippedFailure().contains("loss is Infinity"), r.unclippedFailure());
        assertTrue(Double.isFinite(r.clippedLoss()));

        double sgd = r.optimizerMse().get("SGD, lr 0.01");
        assertTrue(r.optimizerMse().get("Adam, lr 0.01") < sgd, r.optimizerMse().toString());

        double[] full = r.truncation().get("full BPTT over 120");
        double[] windows = r.truncation().get("windows of 20");
        assertEquals(6 * full[1], windows[1]);
        assertTrue(printed.text().contains("5. Truncated BPTT"), printed.text());
    }
}
