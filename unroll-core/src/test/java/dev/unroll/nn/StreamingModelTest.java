package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Step-by-step inference equals the full forward pass on the same data; generation works both ways. */
class StreamingModelTest {

    private static Sequential model(CellType type, int layers) {
        Rng rng = new Rng(4);
        return Sequential.of(
                new LayerNormalization(3),
                Recurrent.builder(type, 3, 6).layers(layers).activation(type == CellType.RNN ? Activation.RELU : Activation.TANH)
                        .rng(rng).build(),
                new DropoutLayer(0.3f),
                new Dense(6, 2, Activation.TANH, rng));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepByStepEqualsTheFullSequence(CellType type) {
        Sequential m = model(type, 2);
        int batch = 3;
        int steps = 7;
        Tensor x = Tensor.uniform(new Rng(1), -1f, 1f, batch, steps, 3);
        Tensor full = m.predict(x);
        StreamingModel stream = new StreamingModel(m, batch);
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < steps; t++) {
                Tensor y = stream.step(x.slice(1, t, t + 1).reshape(batch, 3));
                Tensor expected = full.slice(1, t, t + 1).reshape(batch, 2);
                float[] e = expected.toArray();
                float[] a = y.toArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-5, type + " step " + t);
                }
            }
            stream.reset();
        }
    }

    @Test
    void bidirectionalLayersCannotStream() {
        Sequential m = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).bidirectional(true).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamingModel(m, 1));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
    }

    @Test
    void wrongInputSizeIsAClearError() {
        StreamingModel s = new StreamingModel(model(CellType.RNN, 1), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(new float[5]));
        assertTrue(e.getMessage().contains("expected 6 values"), e.getMessage());
    }

    private static Sequential forecaster() {
        Rng rng = new Rng(2);
        return Sequential.of(Recurrent.builder(CellType.RNN, 1, 10).activation(Activation.RELU).rng(rng).build(),
                new Dense(10, 1, rng));
    }

    @Test
    void statefulGenerationEqualsWindowRerunWhenTheWindowCoversTheHistory() {
        Sequential m = forecaster();
        float[] seed = {0.1f, -0.2f, 0.3f};
        float[] stateful = Generation.stateful(m, seed, 4);
        // Re-running from the start each time (window = everything so far) is what the state encodes.
        float[] series = seed.clone();
        for (int i = 0; i < 4; i++) {
            float[] next = Generation.windowRerun(m, series, series.length, 1);
            series = next;
        }
        assertEquals(7, stateful.length);
        for (int i = 0; i < 7; i++) {
            assertEquals(series[i], stateful[i], 1e-5, "value " + i);
        }
        assertArrayEquals(seed, java.util.Arrays.copyOf(Generation.windowRerun(m, seed, 2, 5), 3));
    }

    @Test
    void generationArgumentsAreChecked() {
        Sequential m = forecaster();
        assertThrows(IllegalArgumentException.class, () -> Generation.windowRerun(m, new float[3], 4, 1));
        assertThrows(IllegalArgumentException.class, () -> Generation.stateful(m, new float[0], 1));
    }
}
