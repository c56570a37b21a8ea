package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensors;
import dev.unroll.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointInteropTest {
    @TempDir
    Path dir;

    @Test
    void exportsLoadableCheckpointsWithTheirOutputs() throws Exception {
        CheckpointInterop.export(dir);
        for (String name : CheckpointInterop.models().keySet()) {
            Path model = dir.resolve(name + ".safetensors");
            assertTrue(Files.exists(model), name);
            SafeTensors.Contents io = SafeTensors.read(dir.resolve(name + ".io.safetensors"));
            Sequential loaded = (Sequential) Checkpoint.load(model);
            assertArrayEquals(io.require("y").toArray(), loaded.predict(io.require("x")).toArray(), name);
        }
    }
}
