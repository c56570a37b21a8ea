package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Generation;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole-sequence answers of a predictor: the model's own numbers, in the caller's units, the same
 * bits whatever the thread budget; forecasts, generation and classification; loading from every
 * kind of source.
 */
class PredictorTest {

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * (1 + Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void predictGivesTheModelsNumbersWhateverTheThreadBudget(CellType type) {
        Sequential forecaster = Models.forecaster(type, 24, 1);
        Tensor series = Models.inputs(2, 300, 9, 1); // more rows than one lane holds
        Tensor expected = forecaster.predict(series);
        Tensor one = Predictor.of(forecaster).predict(series);
        assertArrayEquals(expected.shape(), one.shape());
        assertClose(expected.toArray(), one.toArray(), 1e-6, type + " forecaster");
        Predictor threeThreads = Predictor.builder(forecaster).threads(3).build();
        assertEquals(3, threeThreads.threads());
        Tensor three = threeThreads.predict(series);
        assertArrayEquals(one.toArray(), three.toArray(), "3 threads give the bits of 1");

        Sequential classifier = Models.classifier(type, 5, 16, 4, 3);
        Tensor images = Models.inputs(4, 40, 6, 5);
        Tensor scores = Predictor.builder(classifier).threads(2).build().predict(images);
        assertArrayEquals(new int[] {40, 4}, scores.shape());
        assertClose(classifier.predict(images).toArray(), scores.toArray(), 1e-6, type + " classifier");
    }

    @Test
    void preprocessingTurnsRawValuesIntoTheModelsUnitsAndBack() {
        Sequential m = Models.forecaster(CellType.RNN, 12, 5);
        Standardization s = new Standardization(10.0, 4.0);
        Predictor p = Predictor.builder(m).preprocessing(s).build();
        Tensor raw = Tensor.uniform(new dev.unroll.tensor.Rng(6), 0f, 20f, 3, 7, 1);
        float[] expected = s.invert(m.predict(Tensor.of(s.apply(raw.toArray()), 3, 7, 1)).toArray());
        assertClose(expected, p.predict(raw).toArray(), 1e-6, "standardized");
    }

    @Test
    void forecastReadsTheWindowThenFeedsEachPredictionBack() {
        Sequential m = Models.forecaster(CellType.GRU, 16, 7);
        Standardization s = new Standardization(-1.0, 2.0);
        Predictor p = Predictor.builder(m).preprocessing(s.withWindow(5)).build();
        Tensor history = Models.inputs(8, 2, 9, 1);
        Tensor forecast = p.forecast(history, 4);
        assertArrayEquals(new int[] {2, 4, 1}, forecast.shape());
        for (int b = 0; b < 2; b++) {
            // The command line's way: each next value from the latest 5 values, re-run.
            float[] z = s.apply(java.util.Arrays.copyOfRange(history.toArray(), b * 9 + 4, b * 9 + 9));
            float[] generated = Generation.stateful(m, z, 4);
            for (int h = 0; h < 4; h++) {
                assertEquals(s.invert(generated[5 + h]), forecast.get(b, h, 0), 1e-5, "sequence " + b + ", step " + h);
            }
        }
    }

    @Test
    void generateCarriesTheStateOverTheWholeSeedAsGenerationStatefulDoes() {
        Sequential m = Models.forecaster(CellType.RNN, 20, 9);
        float[] seed = Models.inputs(10, 12).toArray();
        float[] expected = Generation.stateful(m, seed, 6);
        Tensor generated = Predictor.of(m).generate(Tensor.of(seed, 1, 12, 1), 6);
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 12, 18), generated.toArray());
    }

    @Test
    void classifyGivesProbabilitiesAndTheBestClass() {
        Sequential m = Models.classifier(CellType.LSTM, 4, 10, 3, 11);
        Predictor p = Predictor.of(m);
        Tensor x = Models.inputs(12, 25, 5, 4);
        Classification c = p.classify(x);
        Tensor scores = p.predict(x);
        for (int b = 0; b < 25; b++) {
            double sum = 0;
            int best = 0;
            for (int k = 0; k < 3; k++) {
                sum += c.probabilities().get(b, k);
                if (scores.get(b, k) > scores.get(b, best)) {
                    best = k;
                }
            }
            assertEquals(1.0, sum, 1e-6, "probabilities of sequence " + b);
            assertEquals(best, c.classes()[b], "class of sequence " + b);
        }
    }

    @Test
    void wrongInputsAndTasksAreClearErrors() {
        Predictor forecaster = Predictor.of(Models.forecaster(CellType.RNN, 8, 1));
        Predictor classifier = Predictor.of(Models.classifier(CellType.RNN, 4, 8, 3, 1));
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class, () -> classifier.predict(Tensor.zeros(2, 3, 5)));
        assertTrue(features.getMessage().contains("expected 4, got 5"), features.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier.predict(Tensor.zeros(2, 4)));
        IllegalArgumentException classify = assertThrows(IllegalArgumentException.class, () -> forecaster.classify(Tensor.zeros(1, 3, 1)));
        assertTrue(classify.getMessage().contains("outputs every step"), classify.getMessage());
        IllegalArgumentException forecast = assertThrows(IllegalArgumentException.class, () -> classifier.forecast(Tensor.zeros(1, 3, 4), 2));
        assertTrue(forecast.getMessage().contains("reads 4 and outputs 3 per sequence"), forecast.getMessage());
        assertThrows(IllegalArgumentException.class, () -> forecaster.forecast(Tensor.zeros(1, 3, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> Predictor.builder(Models.forecaster(CellType.RNN, 8, 1)).threads(0));
    }

    @Test
    void loadsFromAFileBytesAStreamAndTheClassPathWithItsPreprocessing(@TempDir Path dir) throws Exception {
        Sequential m = Models.forecaster(CellType.LSTM, 10, 13);
        Map<String, String> meta = Map.of(Standardization.MEAN_KEY, "3.5", Standardization.STD_KEY, "0.25",
                Standardization.WINDOW_KEY, "6");
        byte[] bytes = Checkpoint.toBytes(m, meta);
        Path file = dir.resolve("model.safetensors");
        Files.write(file, bytes);
        Tensor x = Tensor.uniform(new dev.unroll.tensor.Rng(14), 3f, 4f, 2, 8, 1);
        Predictor expected = Predictor.builder(m).preprocessing(new Standardization(3.5, 0.25).withWindow(6)).build();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            for (Predictor p : new Predictor[] {Predictor.load(file), Predictor.load(bytes, "bytes"),
                Predictor.load(new ByteArrayInputStream(bytes), "stream"), Predictor.loadResource(loader, "model.safetensors")}) {
                assertEquals(6, p.preprocessing().window());
                assertEquals("3.5", p.metadata().get(Standardization.MEAN_KEY));
                assertArrayEquals(expected.predict(x).toArray(), p.predict(x).toArray());
                assertArrayEquals(expected.forecast(x, 3).toArray(), p.forecast(x, 3).toArray());
            }
            assertThrows(java.io.FileNotFoundException.class, () -> Predictor.loadResource(loader, "missing.safetensors"));
        }
    }

    @Test
    void aCheckpointOfAnotherKindOfModelIsRefused() throws Exception {
        byte[] bytes = Checkpoint.toBytes(Recurrent.builder(CellType.RNN, 2, 3).build(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Predictor.load(bytes, "bare layer"));
        assertTrue(e.getMessage().contains("sequential"), e.getMessage());
        assertFalse(Predictor.of(Models.classifier(CellType.GRU, 2, 4, 2, 1)).returnsSequences());
    }
}
