package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentOutput;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Seed §15: three stacked layers, and the final state of each. */
class DeepRnnTest {

    @Test
    void returnsTheFinalStateOfEveryLayerAndLayersFeedEachOther() {
        Recurrent rnn = DeepRnn.model(3, 10, 7);
        Tensor x = DeepRnn.seedBatch(7);
        RecurrentOutput out = DeepRnn.run(rnn, x);
        assertArrayEquals(new int[] {2, 5, 10}, out.outputs().shape());
        assertEquals(3, out.finalStates().size());
        // Layer 0's cell alone over x gives layer 0's final state; the top one is the last output.
        try (var scope = Autograd.noGrad()) {
            Tensor layer0 = rnn.cell(0, 0).forwardSequence(Variable.constant(x), null, null).finalState().h().value();
            assertArrayEquals(layer0.toArray(), out.finalStates().get(0).h().value().toArray());
        }
        assertArrayEquals(out.outputs().value().slice(1, 4, 5).toArray(), out.finalStates().get(2).h().value().toArray());
        assertFalse(Arrays.equals(out.finalStates().get(1).h().value().toArray(), out.finalStates().get(2).h().value().toArray()));
    }

    @Test
    void mainPrintsTheSeedsShapes() {
        String out = RnnByHandTest.capture(() -> DeepRnn.main(new String[] {"--neurons", "20"}));
        assertTrue(out.contains("layer 2 final state [2, 20]") && out.contains("its output at the last step: true"), out);
    }
}
