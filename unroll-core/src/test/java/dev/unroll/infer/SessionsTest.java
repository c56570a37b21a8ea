package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Session states as values: stepping a session equals running its whole sequence; many sessions
 * stepped together give each one's bits alone; a state survives bytes and back exactly, and is
 * refused by a model it does not belong to.
 */
class SessionsTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepsOfASessionEqualTheWholeSequence(CellType type) {
        Sequential m = Models.forecaster(type, 16, 1);
        Predictor p = Predictor.builder(m).preprocessing(new Standardization(2.0, 3.0)).build();
        Tensor x = Models.inputs(2, 1, 10, 1);
        float[] whole = p.predict(x).toArray();
        SessionState s = p.newSession();
        float[] stepped = new float[10];
        for (int t = 0; t < 10; t += 2) {
            StepResult r = p.step(s, new float[] {x.get(0, t, 0), x.get(0, t + 1, 0)});
            System.arraycopy(r.outputs(), 0, stepped, t, 2);
            s = r.state();
        }
        assertArrayEquals(whole, stepped, type + ": two steps at a time == the whole sequence");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void sessionsSteppedTogetherGiveTheBitsOfEachAlone(CellType type) {
        Predictor p = Predictor.of(Models.classifier(type, 3, 12, 4, 3));
        int n = 150; // more sessions than one lane steps at once
        Rng rng = new Rng(4);
        SessionState[] states = new SessionState[n];
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            states[i] = p.step(p.newSession(), Tensor.uniform(rng, -1f, 1f, 1 + i % 3, 3).toArray()).state();
            inputs[i] = Tensor.uniform(rng, -1f, 1f, 1 + i % 5, 3).toArray(); // 1 to 5 steps each
        }
        StepResult[] together = p.step(states, inputs);
        for (int i = 0; i < n; i++) {
            StepResult alone = p.step(states[i], inputs[i]);
            assertArrayEquals(alone.outputs(), together[i].outputs(), "session " + i + " outputs");
            assertEquals(alone.state(), together[i].state(), "session " + i + " state");
        }
    }

    @Test
    void aHundredThousandStatesSerializedAndRestoredStepExactlyAsTheOriginals() {
        Predictor p = Predictor.of(Models.classifier(CellType.LSTM, 2, 8, 3, 5));
        Rng rng = new Rng(6);
        int n = 100_000;
        SessionState[] states = new SessionState[n];
        float[][] next = new float[n][];
        for (int i = 0; i < n; i++) {
            states[i] = p.step(p.newSession(), Tensor.uniform(rng, -1f, 1f, 1 + i % 4, 2).toArray()).state();
            next[i] = Tensor.uniform(rng, -1f, 1f, 2, 2).toArray();
        }
        StepResult[] straight = p.step(states, next);
        SessionState[] restored = new SessionState[n];
        for (int i = 0; i < n; i++) {
            byte[] bytes = states[i].toBytes();
            assertEquals(16 + 4 * p.stateSize(), bytes.length);
            restored[i] = p.restore(bytes);
            assertEquals(states[i], restored[i]);
        }
        StepResult[] roundTrip = p.step(restored, next);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(straight[i].outputs(), roundTrip[i].outputs(), "session " + i);
            assertArrayEquals(straight[i].state().values(), roundTrip[i].state().values(), "session " + i + " state");
        }
    }

    @Test
    void stateValuesGoInAndOutAndTheGivenStateNeverChanges() {
        Predictor p = Predictor.of(Models.forecaster(CellType.GRU, 6, 7));
        SessionState start = p.session(new float[] {0.5f, -0.25f, 0, 1, 2, 3});
        float[] values = start.values();
        values[0] = 42f;
        assertEquals(0.5f, start.values()[0], "values() is a copy");
        SessionState after = p.step(start, new float[] {0.3f}).state();
        assertNotEquals(start, after);
        assertArrayEquals(new float[] {0.5f, -0.25f, 0, 1, 2, 3}, start.values(), "stepping gives a new state");
        assertArrayEquals(new float[6], p.newSession().values(), "a new session starts from zeros");
    }

    @Test
    void statesOfAnotherModelAndDamagedBytesAreRefused() {
        Predictor rnn = Predictor.of(Models.forecaster(CellType.RNN, 6, 1));
        Predictor gru = Predictor.of(Models.forecaster(CellType.GRU, 6, 1));
        SessionState s = rnn.newSession();
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> gru.step(s, new float[] {1}));
        assertTrue(other.getMessage().contains("another model"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gru.restore(s.toBytes()));
        byte[] bytes = s.toBytes();
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class, () -> rnn.restore(Arrays.copyOf(bytes, bytes.length - 1)));
        assertTrue(cut.getMessage().contains("6 floats (40 bytes), got 39 bytes"), cut.getMessage());
        bytes[0] = 'X';
        IllegalArgumentException magic = assertThrows(IllegalArgumentException.class, () -> rnn.restore(bytes));
        assertTrue(magic.getMessage().contains("not an Unroll session state"), magic.getMessage());
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, () -> rnn.step(s, new float[0]));
        assertTrue(steps.getMessage().contains("one or more steps of 1 values, got 0"), steps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rnn.session(new float[5]));
    }
}
