package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What lies past an instance's length never reaches an output or a gradient, whatever it holds. */
class PaddingTest {
    private static final int[] LENGTHS = {5, 2, 3};

    /** Outputs and every parameter gradient of a two-layer bidirectional layer over {@code x}. */
    private static List<float[]> pass(CellType type, Tensor x) {
        Recurrent layer = Recurrent.builder(type, 4, 6).layers(2).bidirectional(true).rng(new Rng(7)).build();
        Variable input = Variable.parameter("x", x);
        RecurrentOutput out = layer.forward(input, LENGTHS, null, false, null);
        out.outputs().sum().add(out.finalStates().get(3).h().sum()).backward();
        List<float[]> all = new ArrayList<>();
        all.add(out.outputs().value().toArray());
        for (Parameter p : layer.parameters()) {
            all.add(p.grad().toArray());
        }
        float[] dx = input.grad().toArray();
        for (int b = 0; b < LENGTHS.length; b++) {
            for (int t = 0; t < x.dim(1); t++) {
                for (int i = 0; i < x.dim(2); i++) {
                    if (t >= LENGTHS[b]) {
                        assertTrue(dx[(b * x.dim(1) + t) * x.dim(2) + i] == 0f, "no gradient into padding");
                    }
                }
            }
        }
        return all;
    }

    @Test
    void nanAndInfinityInThePaddingChangeNothing() {
        for (CellType type : CellType.values()) {
            Tensor clean = Tensor.randn(new Rng(3), 3, 5, 4);
            for (int b = 0; b < LENGTHS.length; b++) {
                for (int t = LENGTHS[b]; t < 5; t++) {
                    for (int i = 0; i < 4; i++) {
                        clean.set(0f, b, t, i);
                    }
                }
            }
            Tensor poisoned = clean.copy();
            poisoned.set(Float.NaN, 1, 2, 0);
            poisoned.set(Float.POSITIVE_INFINITY, 1, 4, 3);
            poisoned.set(Float.NEGATIVE_INFINITY, 2, 3, 1);
            List<float[]> expected = pass(type, clean);
            List<float[]> actual = pass(type, poisoned);
            for (int i = 0; i < expected.size(); i++) {
                for (float v : actual.get(i)) {
                    assertTrue(Float.isFinite(v), type + ": tensor " + i + " is finite");
                }
                assertArrayEquals(expected.get(i), actual.get(i), type + ": tensor " + i);
            }
        }
    }

    @Test
    void emptyBatchesAndSequencesWithoutStepsAreErrors() {
        Recurrent layer = Recurrent.builder(CellType.GRU, 2, 3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Variable.constant(Tensor.zeros(2, 0, 2))));
        assertTrue(e.getMessage().contains("[2, 0, 2] has 0 time steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Variable.constant(Tensor.zeros(0, 3, 2))));
        assertTrue(e.getMessage().contains("[0, 3, 2] is an empty batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer.cell(0, 0).forwardSequence(Variable.constant(Tensor.zeros(1, 0, 2)), null, null));
        assertTrue(e.getMessage().contains("has 0 time steps"), e.getMessage());
    }

    @Test
    void aStateThatDoesNotFitTheCellIsAnError() {
        for (CellType type : new CellType[] {CellType.RNN, CellType.GRU}) {
            Recurrent layer = Recurrent.builder(type, 2, 3).build();
            State withC = new State(Variable.constant(Tensor.zeros(1, 3)), Variable.constant(Tensor.zeros(1, 3)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.forward(Variable.constant(Tensor.zeros(1, 4, 2)), null, List.of(withC), false, null));
            assertTrue(e.getMessage().contains("cells carry only h"), e.getMessage());
        }
    }
}
