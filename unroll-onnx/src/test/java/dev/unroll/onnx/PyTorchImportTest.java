package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.SafeTensors;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Models that PyTorch exported ({@code torch.onnx.export}, by {@code tools/onnx/pytorch_fixtures.py})
 * import and reproduce PyTorch's outputs: LSTM, GRU and RNN, batch first or time first, one or two
 * layers, one direction or both, a linear layer on every step or on the final state.
 */
class PyTorchImportTest {
    /** The same cases exported by two generations of PyTorch's exporter (Debian's 1.13 and the wheel store's 2.x). */
    private static final List<Path> FIXTURES = List.of(Path.of("src/test/resources/fixtures/pytorch-1.13"),
            Path.of("src/test/resources/fixtures/pytorch-2.13"));
    private static final double TOLERANCE = 1e-5;

    @Test
    void pytorchExportsImportAndMatchPyTorchsOutputs() throws Exception {
        double worst = 0;
        for (Path dir : FIXTURES) {
            worst = Math.max(worst, importAndCompare(dir));
        }
        System.out.println("PyTorch exports imported: max abs difference from PyTorch " + worst);
    }

    private static double importAndCompare(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertEquals(8, files.size(), "fixtures in " + dir);
        double worst = 0;
        for (Path onnx : files) {
            String name = dir.getFileName() + "/" + onnx.getFileName().toString().replace(".onnx", "");
            SafeTensors.Contents reference = SafeTensors.read(Path.of(onnx.toString().replace(".onnx", ".safetensors")));
            boolean batchFirst = Boolean.parseBoolean(reference.metadata().get("batch_first"));
            OnnxImport.ImportedModel imported = OnnxImport.read(onnx);
            assertEquals(!batchFirst, imported.timeFirstInput(), name + ": input layout");
            Sequential model = (Sequential) imported.model();
            for (String k : new String[] {"1", "2"}) {
                Tensor x = reference.require("x" + k);
                Tensor expected = reference.require("y" + k);
                Tensor y = model.predict(batchFirst ? x : x.transpose(0, 1).copy());
                if (imported.timeFirstOutput()) {
                    y = y.transpose(0, 1).copy();
                }
                double d = Numbers.maxAbsDifference(expected, y, name + " on x" + k);
                assertTrue(d <= TOLERANCE, name + ": Unroll differs from PyTorch by " + d);
                worst = Math.max(worst, d);
            }
        }
        return worst;
    }
}
