package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.SafeTensors;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    static Path shared;
    static Path forecaster;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        forecaster = Models.forecaster(shared);
    }

    @Test
    void listsArchitectureParametersAndTotals() {
        Cli.Result r = Cli.run("inspect", forecaster.toString());
        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("model: sequential(rnn: rnn(1 -> 8, relu), fc: dense(8 -> 1))"), out);
        assertTrue(out.contains("task: forecaster"), out);
        assertTrue(out.contains("rnn      recurrent  cell=rnn input_size=1 hidden_size=8 num_layers=1"), out);
        assertTrue(out.matches("(?s).*rnn\\.weight_ih_l0 +\\[8, 1\\] +8\n.*"), out);
        assertTrue(out.matches("(?s).*rnn\\.weight_hh_l0 +\\[8, 8\\] +64\n.*"), out);
        assertTrue(out.matches("(?s).*fc\\.bias +\\[1\\] +1\n.*"), out);
        // 8 + 64 + 8 + 8 + 8 + 1
        assertTrue(out.matches("(?s).*total \\(6 tensors\\) +97 .*"), out);
        assertTrue(out.contains("unroll.cli.window=20"), out);
        assertTrue(out.matches("(?s).*\nload: [0-9.]+ ms to read and check the checkpoint, [0-9.]+ ms to build its predictor\n.*"), out);
        assertEquals("parameters=97", r.lastLine());
    }

    @Test
    void aModelThePredictorCannotRunSaysWhy() throws IOException {
        Path file = dir.resolve("bidirectional.safetensors");
        dev.unroll.io.Checkpoint.save(dev.unroll.nn.Sequential.of(dev.unroll.nn.Recurrent.builder(dev.unroll.nn.CellType.GRU, 2, 3)
                .bidirectional(true).build()), file);
        Cli.Result r = Cli.run("inspect", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("to read and check the checkpoint; no predictor (a bidirectional layer needs the whole sequence"),
                r::toString);
    }

    @Test
    void plainSafetensorsAreListedTensorByTensor() throws IOException {
        Path file = dir.resolve("state_dict.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", Tensor.zeros(3, 4));
        tensors.put("bias", Tensor.zeros(3));
        SafeTensors.write(file, tensors, Map.of());
        Cli.Result r = Cli.run("inspect", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("model: none described"), r::toString);
        assertTrue(r.out().matches("(?s).*weight +\\[3, 4\\] +12\n.*"), r::toString);
        assertEquals("parameters=15", r.lastLine());
    }
}
