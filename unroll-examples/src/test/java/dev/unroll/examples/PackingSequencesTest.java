package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed §6: unpacking gives the seed's X0 and X1; packing restores the batch. */
class PackingSequencesTest {

    @Test
    void unpackGivesTheSeedSteps() {
        List<Tensor> steps = PackingSequences.unpack(PackingSequences.seedBatch());
        assertEquals(2, steps.size());
        assertArrayEquals(RnnByHand.X0.toArray(), steps.get(0).toArray());
        assertArrayEquals(RnnByHand.X1.toArray(), steps.get(1).toArray());
    }

    @Test
    void packRestoresTheBatch() {
        Tensor x = PackingSequences.seedBatch();
        Tensor back = PackingSequences.pack(PackingSequences.unpack(x));
        assertArrayEquals(x.shape(), back.shape());
        assertArrayEquals(x.toArray(), back.toArray());
    }

    @Test
    void mainRuns() {
        String out = RnnByHandTest.capture(() -> PackingSequences.main(new String[0]));
        assertTrue(out.contains("X1 =") && out.contains("[4, 2, 3]"), out);
    }
}
