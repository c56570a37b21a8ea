package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.SequenceResult;
import dev.unroll.nn.SimpleRnnCell;
import org.junit.jupiter.api.Test;

/** Seed §8: lengths [2, 1, 2, 2]; the second instance stops after its one step. */
class VariableLengthsTest {

    @Test
    void paddingOutputsAreZeroAndTheStateIsTheLastValidStepsOne() {
        SimpleRnnCell cell = StaticUnrolling.seedCell();
        SequenceResult full = DynamicUnrolling.run(cell, PackingSequences.seedBatch());
        SequenceResult r = VariableLengths.run(cell, PackingSequences.seedBatch(), VariableLengths.SEED_LENGTHS);
        assertArrayEquals(new float[5], VariableLengths.output(r, 1, 1));
        assertArrayEquals(VariableLengths.output(r, 1, 0), VariableLengths.state(r, 1));
        for (int b : new int[] {0, 2, 3}) {
            assertArrayEquals(VariableLengths.state(full, b), VariableLengths.state(r, b), "instance " + b);
        }
    }

    @Test
    void mainShowsThePaddingAndRefusesBadLengths() {
        String out = RnnByHandTest.capture(() -> VariableLengths.main(new String[0]));
        assertTrue(out.contains("instance 2, step 1 (padding): output [0.0, 0.0, 0.0, 0.0, 0.0]")
                && out.contains("instance 2's state is its step-0 output: true")
                && out.contains("length 0 of instance 1 is outside [1, 2]")
                && out.contains("length 3 of instance 1 is outside [1, 2]")
                && out.contains("expected 4 (one per instance), got 3"), out);
    }
}
