package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every exported model runs in ONNX Runtime with Unroll's numbers: the matrix of cells × depths ×
 * directions × outputs, with and without lengths, one session reused at several batch sizes and
 * sequence lengths.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-5;
    private static final int FEATURES = 3;
    private static final int HIDDEN = 4;
    private static final int[] LENGTHS = {7, 1, 4, 6};

    @Test
    void theMatrixRunsInOnnxRuntimeWithUnrollsNumbers() throws Exception {
        double worst = 0;
        int runs = 0;
        String[] cells = {"rnn tanh", "rnn relu", "lstm", "gru"};
        for (String cell : cells) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean bidirectional : new boolean[] {false, true}) {
                    for (boolean sequences : new boolean[] {true, false}) {
                        Sequential model = model(cell, layers, bidirectional, sequences, runs);
                        String what = model + (sequences ? " all steps" : " final state");
                        byte[] plainFile = OnnxExport.toModel(model, OnnxExport.Options.PLAIN, Map.of()).toBytes();
                        byte[] lengthsFile = OnnxExport.toModel(model, new OnnxExport.Options(true, false), Map.of()).toBytes();
                        String name = cell + "-" + layers + "layers" + (bidirectional ? "-bidirectional" : "") + (sequences ? "-sequences" : "-final");
                        Samples.save(name, plainFile);
                        Samples.save(name + "-lengths", lengthsFile);
                        try (Ort plain = new Ort(plainFile); Ort withLengths = new Ort(lengthsFile)) {
                            Rng rng = new Rng(runs);
                            for (int[] bt : new int[][] {{1, 1}, {9, 30}, {1, 30}, {9, 1}}) {
                                Tensor x = Tensor.randn(rng, bt[0], bt[1], FEATURES);
                                worst = Math.max(worst, compare(what + " at " + bt[0] + "x" + bt[1], model.predict(x), plain.output(x, null)));
                                runs++;
                            }
                            for (int[] lengths : new int[][] {LENGTHS, randomLengths(rng, 9, 30), {1}, {30}}) {
                                int steps = max(lengths);
                                Tensor x = Tensor.randn(rng, lengths.length, steps, FEATURES);
                                worst = Math.max(worst, compare(what + " with lengths " + java.util.Arrays.toString(lengths),
                                        model.predict(x, lengths), withLengths.output(x, lengths)));
                                runs++;
                            }
                        }
                    }
                }
            }
        }
        System.out.println("ONNX Runtime vs Unroll: " + runs + " runs of 32 models, max abs difference " + worst);
        assertEquals(32 * 8, runs);
    }

    private static double compare(String what, Tensor unroll, Tensor ort) {
        double d = Numbers.maxAbsDifference(unroll, ort, what);
        assertTrue(d <= TOLERANCE, what + ": ONNX Runtime differs from Unroll by " + d);
        return d;
    }

    static Sequential model(String cell, int layers, boolean bidirectional, boolean sequences, long seed) {
        Rng rng = new Rng(seed);
        CellType type = CellType.parse(cell.split(" ")[0]);
        Recurrent.Builder b = Recurrent.builder(type, FEATURES, HIDDEN).layers(layers).bidirectional(bidirectional)
                .returnSequences(sequences).rng(rng);
        if (cell.endsWith("relu")) {
            b.activation(Activation.RELU);
        }
        Recurrent r = b.build();
        return Sequential.of(r, new Dense(r.outputSize(), 2, rng));
    }

    private static int[] randomLengths(Rng rng, int batch, int steps) {
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            lengths[i] = 1 + (int) (rng.nextFloat() * steps);
        }
        lengths[0] = steps;
        lengths[1] = 1;
        return lengths;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Test
    void metadataCarriesTheModelDescription() {
        Sequential model = model("lstm", 1, false, true, 1);
        OnnxModel onnx = OnnxExport.toModel(model, OnnxExport.Options.PLAIN, Map.of("app.window", "20"));
        assertEquals(Checkpoint.describe(model), onnx.metadata().get(Checkpoint.MODEL_KEY));
        assertEquals("20", onnx.metadata().get("app.window"));
        assertEquals(17, onnx.onnxOpset());
    }

    @Test
    void everyLayerKindRunsInOnnxRuntimeWithUnrollsNumbers() throws Exception {
        Rng rng = new Rng(3);
        Recurrent identityRnn = Recurrent.builder(CellType.RNN, 6, 5).activation(Activation.IDENTITY).rng(rng).build();
        Recurrent sigmoidRnn = Recurrent.builder(CellType.RNN, 5, 4).activation(Activation.SIGMOID).bidirectional(true).rng(rng).build();
        Sequential inner = new Sequential().add("proj", new Dense(8, 6, Activation.RELU, rng)).add("drop", new DropoutLayer(0.3f));
        List<dev.unroll.nn.Layer> models = List.of(
                // normalization and dropout between recurrent layers, dense activations, masked steps
                new Sequential().add("lstm", Recurrent.builder(CellType.LSTM, FEATURES, 4).inputDropout(0.2f).rng(rng).build())
                        .add("norm", new LayerNormalization(4)).add("drop", new DropoutLayer(0.5f))
                        .add("gru", Recurrent.builder(CellType.GRU, 4, 4).bidirectional(true).rng(rng).build())
                        .add("hidden", new Dense(8, 8, Activation.TANH, rng)).add(inner).add("rnn", identityRnn).add("rnn2", sigmoidRnn)
                        .add("out", new Dense(8, 2, Activation.SIGMOID, rng)),
                // a dense layer first, then normalization of the final state
                Sequential.of(new Dense(FEATURES, 5, rng), new LayerNormalization(5, 1e-3f),
                        Recurrent.builder(CellType.GRU, 5, 3).returnSequences(false).rng(rng).build(), new LayerNormalization(3)),
                // lone layers
                Recurrent.builder(CellType.LSTM, FEATURES, 3).layers(3).bidirectional(true).rng(rng).build(),
                new Dense(FEATURES, 2, Activation.RELU, rng));
        randomizeNormalizations(models, rng);
        for (int i = 0; i < models.size(); i++) {
            dev.unroll.nn.Layer layer = models.get(i);
            Sequential model = layer instanceof Sequential s ? s : Sequential.of(layer);
            byte[] plainFile = OnnxExport.toModel(layer, OnnxExport.Options.PLAIN, Map.of()).toBytes();
            byte[] lengthsFile = OnnxExport.toModel(layer, new OnnxExport.Options(true, false), Map.of()).toBytes();
            Samples.save("layers-" + i, plainFile);
            Samples.save("layers-" + i + "-lengths", lengthsFile);
            try (Ort plain = new Ort(plainFile); Ort withLengths = new Ort(lengthsFile)) {
                for (int[] bt : new int[][] {{1, 1}, {9, 30}}) {
                    Tensor x = Tensor.randn(rng, bt[0], bt[1], FEATURES);
                    compare(layer + " at " + bt[0] + "x" + bt[1], model.predict(x), plain.output(x, null));
                }
                Tensor x = Tensor.randn(rng, 4, 7, FEATURES);
                compare(layer + " with lengths", model.predict(x, LENGTHS), withLengths.output(x, LENGTHS));
            }
        }
    }

    /** Gains and shifts away from their initial 1 and 0, so that the test sees them. */
    private static void randomizeNormalizations(List<dev.unroll.nn.Layer> models, Rng rng) {
        for (dev.unroll.nn.Layer m : models) {
            for (Map.Entry<String, dev.unroll.nn.Parameter> e : m.namedParameters().entrySet()) {
                if (e.getKey().contains("norm")) {
                    e.getValue().load(Tensor.randn(rng, e.getValue().shape()));
                }
            }
        }
    }

    @Test
    void layersThatDoNotFitTogetherAreAClearError() {
        Rng rng = new Rng(1);
        Sequential vectorIntoRecurrent = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).returnSequences(false).rng(rng).build(),
                Recurrent.builder(CellType.GRU, 4, 4).rng(rng).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toModel(vectorIntoRecurrent, OnnxExport.Options.PLAIN, Map.of()));
        assertTrue(e.getMessage().contains("recurrent layer rnn1 needs sequences"), e.getMessage());
        Sequential mismatch = Sequential.of(new Dense(3, 4, rng), new Dense(5, 2, rng));
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toModel(mismatch, OnnxExport.Options.PLAIN, Map.of()));
        assertEquals("ONNX export: layer fc1 reads 5 features, the layer before outputs 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toModel(mismatch, OnnxExport.Options.PLAIN, Map.of(Checkpoint.MODEL_KEY, "{}")));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }
}
