package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.SequenceResult;
import dev.unroll.nn.SimpleRnnCell;
import org.junit.jupiter.api.Test;

/** Seed §7: the fused path over the packed batch gives §5's numbers. */
class DynamicUnrollingTest {

    @Test
    void equalsStaticUnrollingWithTheSameCell() {
        SimpleRnnCell cell = StaticUnrolling.seedCell();
        SequenceResult r = DynamicUnrolling.run(cell, PackingSequences.seedBatch());
        assertArrayEquals(new int[] {4, 2, 5}, r.outputs().shape());
        float difference = DynamicUnrolling.differenceFromStatic(r, StaticUnrolling.run(cell));
        assertTrue(difference < 1e-6, "difference " + difference);
    }

    @Test
    void mainPrintsTheOutputsAndTheDifference() {
        String out = RnnByHandTest.capture(() -> DynamicUnrolling.main(new String[0]));
        assertTrue(out.contains("[batch, steps, neurons] = [4, 2, 5]") && out.contains("largest difference from static unrolling"), out);
    }
}
