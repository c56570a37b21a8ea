package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(CellType type, int hidden, boolean bidirectional) {
        Rng rng = new Rng(5);
        return Sequential.of(
                Recurrent.builder(type, 3, hidden).layers(2).bidirectional(bidirectional).activation(Activation.TANH)
                        .dropoutBetweenLayers(0.2f).rng(rng).build(),
                new DropoutLayer(0.1f),
                new Dense(bidirectional ? 2 * hidden : hidden, 2, Activation.SIGMOID, rng));
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws Exception {
        for (CellType type : CellType.values()) {
            Sequential m = model(type, 5, type == CellType.GRU);
            Path f = dir.resolve(type.id() + ".safetensors");
            Checkpoint.save(m, f);
            Layer loaded = Checkpoint.load(f);
            assertEquals(m.config(), loaded.config());
            assertEquals(List.copyOf(m.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
            Tensor x = Tensor.uniform(new Rng(9), -1f, 1f, 4, 7, 3);
            int[] lengths = {7, 2, 5, 1};
            assertArrayEquals(m.predict(x, lengths).toArray(), ((Sequential) loaded).predict(x, lengths).toArray(), type.id());
        }
    }

    @Test
    void usesPyTorchNames() throws Exception {
        Sequential m = model(CellType.LSTM, 4, true);
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(m, f);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertTrue(c.tensors().containsKey("rnn.weight_ih_l0"));
        assertTrue(c.tensors().containsKey("rnn.weight_hh_l1_reverse"));
        assertArrayEquals(new int[] {16, 8}, c.tensors().get("rnn.weight_ih_l1").shape());
        assertArrayEquals(new int[] {2, 8}, c.tensors().get("fc.weight").shape());
    }

    @Test
    void anotherArchitectureIsAClearError() throws Exception {
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(model(CellType.GRU, 5, false), f);
        Sequential other = model(CellType.GRU, 6, false);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.loadInto(other, f));
        assertTrue(e.getMessage().contains("does not match") && e.getMessage().contains("rnn.weight_ih_l0 has shape [15, 3]")
                && e.getMessage().contains("expects [18, 3]"), e.getMessage());
        Sequential lstm = model(CellType.LSTM, 5, false);
        e = assertThrows(SafeTensorsException.class, () -> Checkpoint.loadInto(lstm, f));
        assertTrue(e.getMessage().contains("[20, 3]"), e.getMessage());
    }

    @Test
    void corruptOrForeignFilesAreClearErrors() throws Exception {
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(model(CellType.RNN, 5, false), f);
        byte[] bytes = Files.readAllBytes(f);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(SafeTensorsException.class, () -> Checkpoint.load(truncated));

        Path bare = dir.resolve("bare.safetensors");
        SafeTensors.write(bare, java.util.Map.of("w", Tensor.ones(2)), java.util.Map.of());
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(bare));
        assertTrue(e.getMessage().contains("not an Unroll model checkpoint"), e.getMessage());

        Path badConfig = dir.resolve("bad.safetensors");
        SafeTensors.write(badConfig, java.util.Map.of("w", Tensor.ones(2)),
                java.util.Map.of(Checkpoint.MODEL_KEY, "{\"kind\": \"transformer\", \"config\": {}}"));
        e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(badConfig));
        assertTrue(e.getMessage().contains("unknown layer kind 'transformer'"), e.getMessage());
    }

    @Test
    void bytesStreamsAndResourcesLoadLikeFiles() throws Exception {
        Sequential model = model(CellType.LSTM, 4, true);
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(model, f, java.util.Map.of("app.note", "x"));
        byte[] bytes = Checkpoint.toBytes(model, java.util.Map.of("app.note", "x"));
        assertArrayEquals(Files.readAllBytes(f), bytes);
        Tensor x = Tensor.randn(new Rng(9), 2, 5, 3);
        Tensor expected = model.predict(x);
        java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null);
        for (Checkpoint.Loaded loaded : List.of(Checkpoint.read(f), Checkpoint.read(bytes, "bytes"),
                Checkpoint.read(new java.io.ByteArrayInputStream(bytes), "stream"), Checkpoint.readResource(loader, "m.safetensors"))) {
            assertArrayEquals(expected.toArray(), ((Sequential) loaded.model()).predict(x).toArray());
            assertEquals("x", loaded.metadata().get("app.note"));
        }
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Checkpoint.readResource(loader, "absent.safetensors"));
        assertTrue(e.getMessage().contains("absent.safetensors"), e.getMessage());
    }

    @Test
    void aConfigurationDeclaringMoreThanTheFileHoldsIsRefusedBeforeBuilding() throws Exception {
        // 320 bytes declaring a dense 46341 -> 8192 layer: 380 million parameters, 1.4 GiB.
        String dense = "{\"kind\":\"dense\",\"config\":{\"input_size\":46341,\"output_size\":8192,\"activation\":\"identity\"}}";
        Path f = dir.resolve("dense.safetensors");
        SafeTensors.write(f, java.util.Map.of("weight", Tensor.ones(2)), java.util.Map.of(Checkpoint.MODEL_KEY, dense));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("describes a model of 379633664 parameters, the file holds only 2 values"), e.getMessage());
        String layers = "{\"kind\":\"recurrent\",\"config\":{\"cell\":\"rnn\",\"input_size\":1,\"hidden_size\":1,\"num_layers\":2147483647,"
                + "\"bidirectional\":true,\"nonlinearity\":\"tanh\",\"input_dropout\":0,\"output_dropout\":0,\"state_dropout\":0,"
                + "\"dropout_between_layers_only\":false,\"return_sequences\":true}}";
        SafeTensors.write(f, java.util.Map.of("w", Tensor.ones(2)), java.util.Map.of(Checkpoint.MODEL_KEY, layers));
        long start = System.nanoTime();
        e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("parameters, the file holds only 2 values"), e.getMessage());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused without building the layers");
    }

    @Test
    void declaredParameterCountsMatchTheBuiltModels() {
        for (CellType type : CellType.values()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                Sequential m = Sequential.of(model(type, 3, bidirectional), new dev.unroll.nn.LayerNormalization(2));
                assertEquals(m.parameterCount(), dev.unroll.nn.Layers.parameterCount(m.kind(), m.config()), type + " " + bidirectional);
            }
        }
    }

    @Test
    void misspelledConfigurationKeysAreErrorsNamingTheNearestKey() throws Exception {
        Sequential model = model(CellType.RNN, 2, false);
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(model, f);
        String json = SafeTensors.read(f).metadata().get(Checkpoint.MODEL_KEY).replace("state_dropout", "state_dopout");
        Path bad = dir.resolve("bad.safetensors");
        java.util.Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> tensors.put(k, v.value()));
        SafeTensors.write(bad, tensors, java.util.Map.of(Checkpoint.MODEL_KEY, json));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(bad));
        assertTrue(e.getMessage().contains("unknown key 'state_dopout' (did you mean 'state_dropout'?)"), e.getMessage());
    }

    @Test
    void trainingStateResumesFromBytesAsFromFiles() throws Exception {
        dev.unroll.train.SequenceDataset data = dev.unroll.train.SequenceDataset.classification(
                Tensor.uniform(new Rng(3), -1f, 1f, 40, 4, 3), new int[40]);
        Sequential classifier = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).returnSequences(false).rng(new Rng(1)).build(),
                new Dense(4, 2, new Rng(2)));
        dev.unroll.train.Trainer t = dev.unroll.train.Trainer.builder(classifier, dev.unroll.train.Loss.softmaxCrossEntropy(),
                new dev.unroll.optim.Adam(classifier, 0.01)).batchSize(8).build();
        t.fit(data, null);
        byte[] modelBytes = Checkpoint.toBytes(classifier, java.util.Map.of());
        byte[] state = Checkpoint.trainingStateBytes(t);
        Path file = dir.resolve("t.safetensors");
        Checkpoint.saveTraining(t, file);
        assertArrayEquals(state, Files.readAllBytes(Checkpoint.trainingFile(file)));

        Sequential fresh = Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).returnSequences(false).rng(new Rng(7)).build(),
                new Dense(4, 2, new Rng(8)));
        dev.unroll.train.Trainer resumed = dev.unroll.train.Trainer.builder(fresh, dev.unroll.train.Loss.softmaxCrossEntropy(),
                new dev.unroll.optim.Adam(fresh, 0.01)).batchSize(8).build();
        Checkpoint.resume(resumed, modelBytes, state, "in memory");
        assertEquals(t.state(), resumed.state());
        assertArrayEquals(classifier.flatParameters().values(), fresh.flatParameters().values());
        assertEquals(t.optimizer().steps(), resumed.optimizer().steps());
    }
}
