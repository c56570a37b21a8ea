package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.onnx.OnnxImport;
import dev.unroll.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    static Path shared;
    static Path forecaster;
    static Path classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        forecaster = Models.forecaster(shared);
        classifier = Models.classifier(shared);
    }

    @Test
    void exportsACheckpointThatImportsBackWithItsMetadata() throws IOException {
        Path onnx = dir.resolve("model.onnx");
        Cli.Result r = Cli.run("export", "--model", forecaster.toString(), "--onnx", onnx.toString(), "--lengths");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("model: sequential(rnn: rnn(1 -> 8, relu), fc: dense(8 -> 1))"), r::toString);
        assertTrue(r.out().contains("opset 17, IR version 8"), r::toString);
        assertTrue(r.out().contains("inputs: input float[batch, time, 1], lengths int32[batch]"), r::toString);
        assertTrue(r.out().contains("outputs: output float[batch, time, 1]"), r::toString);
        OnnxModel file = OnnxModel.read(onnx);
        assertEquals(file.graph().nodes().size(), (int) r.lastValue("nodes"));
        assertEquals("20", file.metadata().get("unroll.cli.window"));
        OnnxImport.ImportedModel back = OnnxImport.read(onnx);
        assertEquals(Checkpoint.describe(Checkpoint.load(forecaster)), Checkpoint.describe(back.model()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(onnx), files.toList(), "nothing but the file (the temporary one renamed)");
        }
    }

    @Test
    void predictAndGenerateRunTheOnnxFileAsTheCheckpoint() throws IOException {
        Path onnx = dir.resolve("forecaster.onnx");
        assertEquals(0, Cli.run("export", "--model", forecaster.toString(), "--onnx", onnx.toString()).exitCode());
        Path csv = dir.resolve("series.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append(TimeSeries.value(i * 0.1)).append('\n');
        }
        Files.writeString(csv, sb);
        Cli.Result fromCheckpoint = Cli.run("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--out",
                dir.resolve("a").toString());
        Cli.Result fromOnnx = Cli.run("predict", "--model", onnx.toString(), "--csv", csv.toString(), "--out", dir.resolve("b").toString());
        assertEquals(0, fromOnnx.exitCode(), fromOnnx::toString);
        assertEquals(fromCheckpoint.lastLine(), fromOnnx.lastLine());
        assertEquals(Files.readAllLines(dir.resolve("a/predictions.csv")), Files.readAllLines(dir.resolve("b/predictions.csv")));

        Path sameBytesOtherName = dir.resolve("forecaster.model");
        Files.copy(onnx, sameBytesOtherName);
        Cli.Result generated = Cli.run("generate", "--model", sameBytesOtherName.toString(), "--count", "10", "--out",
                dir.resolve("g").toString());
        assertEquals(0, generated.exitCode(), generated::toString);
        assertEquals("generated=10", generated.lastLine());
    }

    @Test
    void inspectSummarisesTheGraph() throws IOException {
        Path onnx = dir.resolve("classifier.onnx");
        assertEquals(0, Cli.run("export", "--model", classifier.toString(), "--onnx", onnx.toString(), "--states").exitCode());
        Cli.Result r = Cli.run("inspect", onnx.toString());
        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("format: ONNX, IR version 8, opsets ai.onnx 17, produced by unroll"), out);
        assertTrue(out.contains("model: sequential(rnn: rnn(6 -> 16, tanh), fc: dense(16 -> 3))"), out);
        assertTrue(out.contains("task: classifier"), out);
        assertTrue(out.matches("(?s).*\n  input +float\\[batch, time, 6\\].*"), out);
        assertTrue(out.matches("(?s).*\n  rnn\\.initial_h_l0 +float\\[1, batch, 16\\].*"), out);
        assertTrue(out.matches("(?s).*\n  output +float\\[batch, 3\\].*"), out);
        assertTrue(out.matches("(?s).*\n  RNN +rnn/rnn_l0 +\\(to_time_major, rnn\\.W_l0, rnn\\.R_l0, rnn\\.B_l0, , rnn\\.initial_h_l0\\) -> .*"), out);
        assertTrue(out.contains("unroll.cli.task=classifier"), out);
        assertFalse(out.contains("unroll.model="), out);
        long parameters = Checkpoint.load(classifier).parameterCount();
        assertEquals("parameters=" + parameters, r.lastLine());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {0x08, 0x08, 0x3A, 0x7F, 1, 2, 3});
        for (String[] args : List.of(new String[] {"inspect", junk.toString()},
                new String[] {"predict", "--model", junk.toString(), "--csv", "x.csv", "--out", dir.resolve("o").toString()},
                new String[] {"export", "--model", junk.toString(), "--onnx", dir.resolve("x.onnx").toString()},
                new String[] {"export", "--model", dir.resolve("missing.safetensors").toString(), "--onnx", dir.resolve("y.onnx").toString()},
                new String[] {"export", "--model", forecaster.toString()})) {
            Cli.Result r = Cli.run(args);
            assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), Arrays.toString(args) + " " + r);
            assertTrue(r.errLines().get(0).startsWith("unroll: error: "), r::toString);
            assertTrue(r.errLines().size() <= 2, r::toString);
            assertFalse(r.err().contains("\tat "), r::toString);
        }
        Cli.Result r = Cli.run("inspect", junk.toString());
        assertTrue(r.errLines().get(0).contains("junk.onnx: malformed ONNX file: ModelProto at byte 2: field 7 claims 127 bytes, but only 3 remain"),
                r::toString);
        assertFalse(Files.exists(dir.resolve("x.onnx")));
        assertFalse(Files.exists(dir.resolve("o")));
    }
}
