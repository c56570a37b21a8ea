package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cell's training passes reuse buffers that hold the previous pass's values. A pass after
 * another (different data, with lengths, a given initial state, outputs used) gives exactly the
 * bits of the same pass on a fresh cell.
 */
class BufferReuseTest {

    private static List<float[]> pass(RecurrentCell cell, Tensor x, int[] lengths, State initial) {
        for (Parameter p : cell.parameters()) {
            p.grad().fill(0f);
        }
        Variable input = Variable.parameter("x", x.copy());
        SequenceResult r = cell.forwardSequence(input, lengths, initial);
        r.outputs().mul(r.outputs()).sum().add(r.finalState().h().sum()).backward();
        List<float[]> out = new ArrayList<>();
        out.add(r.outputs().value().toArray());
        out.add(r.finalState().h().value().toArray());
        for (Parameter p : cell.parameters()) {
            out.add(p.grad().toArray());
        }
        out.add(input.grad().toArray());
        return out;
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void aPassAfterAnotherGivesTheSameBitsAsOnAFreshCell(Cells.Kind kind) {
        Rng rng = new Rng(3);
        Tensor big = Tensor.uniform(rng, -5f, 5f, 20, 6, 3);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 20, 6, 3);
        int[] lengths = new int[20];
        for (int b = 0; b < 20; b++) {
            lengths[b] = 1 + rng.nextInt(6);
        }
        RecurrentCell used = Cells.create(kind, 3, 7, 9);
        pass(used, big, null, null);
        RecurrentCell fresh = Cells.create(kind, 3, 7, 9);
        List<float[]> expected = pass(fresh, x, lengths, null);
        List<float[]> actual = pass(used, x, lengths, null);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), kind + " result " + i);
        }
    }
}
