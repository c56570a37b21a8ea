package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by PyTorch (state_dicts of nn.RNN/LSTM/GRU + nn.Linear, made by
 * {@code tools/interop/pytorch_interop.py export}) load into Unroll and give PyTorch's outputs.
 * The other direction is checked by {@code tools/interop/roundtrip.sh}.
 */
class PyTorchCheckpointTest {

    @ParameterizedTest
    @ValueSource(strings = {"rnn_relu_forecaster", "lstm_classifier", "gru_bidirectional"})
    void loadsAndReproducesPyTorch(String name) throws Exception {
        Path model = Path.of(getClass().getResource("/fixtures/interop/" + name + ".safetensors").toURI());
        Path io = Path.of(getClass().getResource("/fixtures/interop/" + name + ".io.safetensors").toURI());
        Sequential net = (Sequential) Checkpoint.load(model);
        SafeTensors.Contents c = SafeTensors.read(io);
        Tensor expected = c.require("y");
        Tensor actual = net.predict(c.require("x"));
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5, name + "[" + i + "]");
        }
    }
}
