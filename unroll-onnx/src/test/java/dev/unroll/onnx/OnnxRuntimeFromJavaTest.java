package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java snippet of {@code docs/onnx.md}, as it is there: an exported file run by ONNX Runtime's Java API. */
class OnnxRuntimeFromJavaTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedSnippetRunsAndGivesUnrollsNumbers() throws Exception {
        Rng rng = new Rng(42);
        Sequential model = Sequential.of(Recurrent.builder(CellType.LSTM, 1, 16).rng(rng).build(), new Dense(16, 1, rng));
        Path file = dir.resolve("forecaster.onnx");
        OnnxExport.write(model, file, new OnnxExport.Options(true, false), Map.of());
        float[][][] x = new float[4][20][1];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 20; t++) {
                x[b][t][0] = (float) Math.sin(0.3 * t + b);
            }
        }
        int[] steps = {20, 5, 12, 1};

        // --- docs/onnx.md, "From Java"
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][][] y;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(env, x);           // [4, 20, 1]
             ai.onnxruntime.OnnxTensor lengths = ai.onnxruntime.OnnxTensor.createTensor(env, steps);     // [4] int32
             OrtSession.Result result = session.run(Map.of("input", input, "lengths", lengths))) {
            y = (float[][][]) result.get("output").orElseThrow().getValue();                            // [4, 20, 1]
        }
        // ---

        Tensor expected = model.predict(Tensor.of(x), steps);
        assertEquals(0, Numbers.maxAbsDifference(expected, Tensor.of(y), "the snippet's output"), 1e-5);
    }
}
