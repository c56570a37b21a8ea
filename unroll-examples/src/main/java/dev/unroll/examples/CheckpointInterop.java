package dev.unroll.examples;

import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensors;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes Unroll checkpoints of an RNN, an LSTM and a GRU model — each with a sample input and
 * Unroll's output for it — for PyTorch to load and check ({@code tools/interop/roundtrip.sh} runs
 * this, then {@code pytorch_interop.py verify}). See {@code docs/checkpoints.md}.
 *
 * <p>Run: {@code CheckpointInterop DIR}.
 */
public final class CheckpointInterop {
    private CheckpointInterop() {
    }

    /** The models PyTorch must reproduce: every cell type, stacked, bidirectional, both output shapes. */
    static Map<String, Sequential> models() {
        Rng rng = new Rng(123);
        Map<String, Sequential> m = new LinkedHashMap<>();
        m.put("rnn_tanh_2layers", Sequential.of(
                Recurrent.builder(CellType.RNN, 2, 7).layers(2).rng(rng).build(), new Dense(7, 1, rng)));
        m.put("rnn_relu_classifier", Sequential.of(
                Recurrent.builder(CellType.RNN, 3, 5).activation(Activation.RELU).returnSequences(false).rng(rng).build(),
                new Dense(5, 4, rng)));
        m.put("lstm_bidirectional", Sequential.of(
                Recurrent.builder(CellType.LSTM, 3, 6).bidirectional(true).rng(rng).build(), new Dense(12, 2, rng)));
        m.put("gru_classifier_2layers", Sequential.of(
                Recurrent.builder(CellType.GRU, 4, 5).layers(2).returnSequences(false).rng(rng).build(), new Dense(5, 3, rng)));
        return m;
    }

    /** Writes {@code <name>.safetensors} and {@code <name>.io.safetensors} (x, y) for every model. */
    public static void export(Path dir) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(7);
        for (Map.Entry<String, Sequential> e : models().entrySet()) {
            Sequential model = e.getValue();
            Recurrent rnn = (Recurrent) model.layers().get(0);
            Tensor x = Tensor.uniform(rng, -1f, 1f, 3, 6, rnn.inputSize());
            Map<String, Tensor> io = new LinkedHashMap<>();
            io.put("x", x);
            io.put("y", model.predict(x));
            Checkpoint.save(model, dir.resolve(e.getKey() + ".safetensors"));
            SafeTensors.write(dir.resolve(e.getKey() + ".io.safetensors"), io, Map.of());
            System.out.println("wrote " + dir.resolve(e.getKey() + ".safetensors"));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CheckpointInterop DIR");
            System.exit(2);
        }
        export(Path.of(args[0]));
    }
}
