package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The step engine: rows stepped together give the same bits as each row stepped alone, whatever
 * rows share the step; its outputs equal the full-sequence forward pass; states move in and out of
 * the workspace exactly; models it cannot step are refused with a reason.
 */
class StepProgramTest {
    private static final int FEATURES = 3;

    private static Sequential model(CellType type) {
        Rng rng = new Rng(7);
        return Sequential.of(
                new LayerNormalization(FEATURES),
                Recurrent.builder(type, FEATURES, 20).layers(2).activation(type == CellType.RNN ? Activation.RELU : Activation.TANH)
                        .rng(rng).build(),
                new DropoutLayer(0.2f),
                new Dense(20, 4, Activation.TANH, rng));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void rowsSteppedTogetherGiveTheBitsOfEachRowAlone(CellType type) {
        StepProgram p = StepProgram.of(model(type));
        int rows = 13;
        int steps = 6;
        Tensor x = Tensor.uniform(new Rng(3), -1f, 1f, rows, steps, FEATURES);
        float[] together = new float[rows * steps * 4];
        StepProgram.Workspace ws = p.workspace(rows);
        p.zeroState(ws, rows);
        for (int t = 0; t < steps; t++) {
            p.step(ws, rows, x.data(), t * FEATURES, steps * FEATURES, together, t * 4, steps * 4);
        }
        float[] alone = new float[together.length];
        StepProgram.Workspace one = p.workspace(1);
        for (int r = 0; r < rows; r++) {
            p.zeroState(one, 1);
            for (int t = 0; t < steps; t++) {
                p.step(one, 1, x.data(), (r * steps + t) * FEATURES, FEATURES, alone, (r * steps + t) * 4, 4);
            }
        }
        assertArrayEquals(alone, together, type + ": batched rows == rows alone, bit for bit");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepsEqualTheFullSequence(CellType type) {
        Sequential m = model(type);
        StepProgram p = StepProgram.of(m);
        int rows = 5;
        int steps = 7;
        Tensor x = Tensor.uniform(new Rng(1), -1f, 1f, rows, steps, FEATURES);
        float[] expected = m.predict(x).toArray();
        float[] actual = new float[expected.length];
        StepProgram.Workspace ws = p.workspace(rows);
        p.zeroState(ws, rows);
        for (int t = 0; t < steps; t++) {
            p.step(ws, rows, x.data(), t * FEATURES, steps * FEATURES, actual, t * 4, steps * 4);
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, type + " [" + i + "]");
        }
        assertTrue(p.returnsSequences());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theStatelessLayersOverManyStepsGiveTheBitsOfEachStep(CellType type) {
        StepProgram p = StepProgram.of(model(type));
        int rows = 3;
        int steps = 5;
        Tensor x = Tensor.uniform(new Rng(6), -1f, 1f, rows, steps, FEATURES);
        float[] stepped = new float[rows * steps * 4];
        StepProgram.Workspace ws = p.workspace(rows * steps);
        p.zeroState(ws, rows);
        for (int t = 0; t < steps; t++) {
            p.step(ws, rows, x.data(), t * FEATURES, steps * FEATURES, stepped, t * 4, steps * 4);
        }
        int hidden = p.stateOutputSize();
        assertEquals(20, hidden);
        float[] h = new float[rows * steps * hidden];
        p.zeroState(ws, rows);
        for (int t = 0; t < steps; t++) {
            p.advance(ws, rows, x.data(), t * FEATURES, steps * FEATURES, h, t * hidden, steps * hidden);
        }
        float[] finished = new float[stepped.length];
        p.finish(ws, rows * steps, h, 0, hidden, finished, 0, 4);
        assertArrayEquals(stepped, finished, type + ": the dense layer over all steps at once == step by step");
    }

    @Test
    void aStateStoredAndLoadedContinuesExactly() {
        StepProgram p = StepProgram.of(model(CellType.LSTM));
        assertEquals(2 * (20 + 20), p.stateSize());
        assertEquals("lstm(h20,c20) lstm(h20,c20)", p.stateLayout());
        float[] x = Tensor.uniform(new Rng(5), -1f, 1f, 4, FEATURES).toArray();
        StepProgram.Workspace ws = p.workspace(2);
        p.zeroState(ws, 2);
        p.step(ws, 1, x, 0, FEATURES, null, 0, 0);
        p.step(ws, 1, x, FEATURES, FEATURES, null, 0, 0);
        float[] state = new float[p.stateSize() + 3];
        p.storeState(ws, 0, state, 3);
        float[] straight = new float[4];
        p.step(ws, 1, x, 2 * FEATURES, FEATURES, straight, 0, 4);
        // The state moved to another row of another workspace gives the same step.
        StepProgram.Workspace other = p.workspace(2);
        p.zeroState(other, 2);
        p.loadState(other, 1, state, 3);
        float[] moved = new float[8];
        p.step(other, 2, x, 2 * FEATURES - FEATURES, FEATURES, moved, 0, 4);
        assertArrayEquals(straight, java.util.Arrays.copyOfRange(moved, 4, 8));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void aStepOfTheFirstRowsLeavesTheOthersStatesAsTheyWere(CellType type) {
        StepProgram p = StepProgram.of(model(type));
        float[] x = Tensor.uniform(new Rng(8), -1f, 1f, 3, FEATURES).toArray();
        StepProgram.Workspace ws = p.workspace(3);
        p.zeroState(ws, 3);
        p.step(ws, 3, x, 0, FEATURES, null, 0, 0);
        float[] before = new float[p.stateSize()];
        p.storeState(ws, 2, before, 0);
        p.step(ws, 2, x, 0, FEATURES, null, 0, 0);
        p.step(ws, 1, x, 0, FEATURES, null, 0, 0);
        float[] after = new float[p.stateSize()];
        p.storeState(ws, 2, after, 0);
        assertArrayEquals(before, after, type + ": row 2 was not stepped");
    }

    @Test
    void aClassifierOutputsItsStateAtEveryStepAndSaysSo() {
        Rng rng = new Rng(2);
        Sequential m = Sequential.of(Recurrent.builder(CellType.GRU, FEATURES, 8).returnSequences(false).rng(rng).build(),
                new Dense(8, 3, rng));
        StepProgram p = StepProgram.of(m);
        assertFalse(p.returnsSequences());
        Tensor x = Tensor.uniform(new Rng(9), -1f, 1f, 2, 5, FEATURES);
        float[] expected = m.predict(x).toArray();
        StepProgram.Workspace ws = p.workspace(2);
        p.zeroState(ws, 2);
        for (int t = 0; t < 4; t++) {
            p.step(ws, 2, x.data(), t * FEATURES, 5 * FEATURES, null, 0, 0);
        }
        float[] last = new float[6];
        p.step(ws, 2, x.data(), 4 * FEATURES, 5 * FEATURES, last, 0, 3);
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], last[i], 1e-6, "[" + i + "]");
        }
    }

    @Test
    void laterChangesToTheModelDoNotReachTheProgram() {
        Sequential m = model(CellType.RNN);
        StepProgram p = StepProgram.of(m);
        float[] x = {0.1f, 0.2f, 0.3f};
        float[] before = new float[4];
        StepProgram.Workspace ws = p.workspace(1);
        p.zeroState(ws, 1);
        p.step(ws, 1, x, 0, 3, before, 0, 4);
        for (Parameter param : m.parameters()) {
            param.value().fill(0.5f);
        }
        float[] after = new float[4];
        p.zeroState(ws, 1);
        p.step(ws, 1, x, 0, 3, after, 0, 4);
        assertArrayEquals(before, after);
    }

    @Test
    void modelsThatCannotStepAreRefusedWithTheReason() {
        IllegalArgumentException bi = assertThrows(IllegalArgumentException.class,
                () -> StepProgram.of(Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).bidirectional(true).build())));
        assertTrue(bi.getMessage().contains("bidirectional"), bi.getMessage());
        IllegalArgumentException stacked = assertThrows(IllegalArgumentException.class, () -> StepProgram.of(Sequential.of(
                Recurrent.builder(CellType.RNN, 3, 4).returnSequences(false).build(), Recurrent.builder(CellType.RNN, 4, 4).build())));
        assertTrue(stacked.getMessage().contains("final state"), stacked.getMessage());
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> StepProgram.of(Sequential.of(Recurrent.builder(CellType.RNN, 3, 4).build(), new Dense(5, 1, new Rng(1)))));
        assertTrue(sizes.getMessage().contains("expects 5 features, the previous layer gives 4"), sizes.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> {
            StepProgram p = StepProgram.of(model(CellType.RNN));
            p.step(p.workspace(2), 3, new float[9], 0, 3, null, 0, 0);
        });
        assertTrue(rows.getMessage().contains("workspace of 2 rows: cannot step 3"), rows.getMessage());
    }
}
