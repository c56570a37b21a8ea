package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
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
                        Samples.save(cell + "-" + layers + "layers" + (bidirectional ? "-bidirectional" : "")
                                + (sequences ? "-sequences" : "-final"), plainFile, lengthsFile);
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
}
