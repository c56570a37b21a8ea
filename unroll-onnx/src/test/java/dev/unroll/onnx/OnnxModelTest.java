package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole files: written, read back to the same bytes; fields other tools add are skipped. */
class OnnxModelTest {
    @TempDir
    Path dir;

    private static Layer model() {
        Rng rng = new Rng(9);
        return Sequential.of(Recurrent.builder(CellType.LSTM, 3, 4).bidirectional(true).rng(rng).build(), new Dense(8, 2, rng));
    }

    @Test
    void readingAndWritingAgainGivesTheSameBytes() throws Exception {
        OnnxModel m = OnnxExport.toModel(model(), new OnnxExport.Options(true, true), Map.of("k", "v"));
        byte[] bytes = m.toBytes();
        OnnxModel back = OnnxModel.read(bytes);
        assertArrayEquals(bytes, back.toBytes());
        assertEquals(m.metadata(), back.metadata());
        assertEquals(17, back.onnxOpset());
        Path file = dir.resolve("m.onnx");
        back.write(file);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(java.util.List.of(file), Files.list(dir).toList(), "no temporary file left");
    }

    @Test
    void fieldsOtherToolsWriteAreSkipped() throws Exception {
        Layer model = model();
        OnnxModel m = OnnxExport.toModel(model, OnnxExport.Options.PLAIN, Map.of());
        ProtoWriter w = new ProtoWriter();
        w.int64(1, 8);
        w.string(6, "a model doc string");
        w.message(7, g -> {
            g.message(13, info -> info.string(1, "shape inference's value_info"));
            g.message(15, sparse -> sparse.int64(1, 1));
            m.graph().encode(g);
        });
        w.message(8, op -> op.int64(2, 17));
        w.message(8, op -> {
            op.string(1, "ai.onnx.ml");
            op.int64(2, 3);
        });
        w.message(14, entry -> {
            entry.string(1, Checkpoint.MODEL_KEY);
            entry.string(2, m.metadata().get(Checkpoint.MODEL_KEY));
        });
        w.message(20, training -> training.string(99, "training info"));
        w.float32(31, 1f);
        OnnxModel read = OnnxModel.read(w.toByteArray());
        assertEquals(Map.of("", 17L, "ai.onnx.ml", 3L), read.opsets());
        assertEquals(m.graph().nodes().stream().map(OnnxNode::name).toList(), read.graph().nodes().stream().map(OnnxNode::name).toList());
        Layer back = OnnxImport.fromModel(read).model();
        assertEquals(Checkpoint.describe(model), Checkpoint.describe(back));
        OnnxImportTest.assertSameBits(model, back);
    }

    @Test
    void graphInputsThatAreInitializersAreNotFedByTheRuntime() {
        OnnxModel m = OnnxExport.toModel(model(), new OnnxExport.Options(true, false), Map.of());
        assertEquals(java.util.List.of(OnnxExport.INPUT, OnnxExport.LENGTHS), m.runtimeInputs().stream().map(OnnxValueInfo::name).toList());
        assertTrue(m.graph().initializers().size() > 3);
    }
}
