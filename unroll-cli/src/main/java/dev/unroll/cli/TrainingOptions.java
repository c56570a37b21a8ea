package dev.unroll.cli;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.Parallel;
import dev.unroll.nn.CellInit;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Init;
import dev.unroll.nn.Recurrent;
import dev.unroll.tensor.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options {@code forecast} and {@code classify} share, with the same names and meanings: the
 * recurrent layer, the optimizer, the seed, the threads, and where the model and the report go.
 */
final class TrainingOptions {
    @Option(names = "--cell", paramLabel = "rnn|lstm|gru", defaultValue = "rnn", converter = Converters.Cell.class,
            description = "Recurrent cell (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1",
            description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    /** Initial weights: the seed's framework (TensorFlow 1.x) or PyTorch's defaults. */
    enum InitScheme { tensorflow, pytorch }

    @Option(names = "--init", paramLabel = "tensorflow|pytorch", defaultValue = "tensorflow",
            description = "Initial weights: tensorflow = the seed's TensorFlow 1.x defaults (Glorot-uniform kernels, "
                    + "zero biases), pytorch = PyTorch's U(-1/sqrt(n), 1/sqrt(n)) (default: ${DEFAULT-VALUE}).")
    InitScheme init;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Random seed: initial weights, batch order, sampled windows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the kernels (default: the number of processors); results do not depend on it.")
    Integer threads;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Where to save the trained model (default: <out>/model.safetensors).")
    Path save;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write a JSON report: configuration, history, final metrics, timings, environment.")
    Path report;

    /** Checks the ranges; {@code activation} is the value given, or null. */
    void validate(CommandSpec spec, Activation activation) {
        Checks.atLeast(spec, "--layers", layers, 1);
        Checks.positive(spec, "--lr", lr);
        if (threads != null) {
            Checks.threads(spec, "--threads", threads);
        }
        if (activation != null && cell != CellType.RNN) {
            throw Checks.usage(spec, "--activation applies to --cell rnn only; " + cell.id() + " cells have fixed activations");
        }
    }

    int threadCount() {
        return threads != null ? threads : Parallel.threads();
    }

    Path modelFile(Path out) {
        return save != null ? save : out.resolve("model.safetensors");
    }

    /**
     * Checks, before training, that {@code outDir}, the model file and the report file can be
     * written (see {@link Outputs}); returns the model file.
     */
    Path prepareOutputs(Outputs outputs, Path outDir) throws IOException {
        outputs.directory(outDir, "--out");
        Path modelFile = outputs.file(modelFile(outDir), "--save");
        if (report != null) {
            outputs.file(report, "--report");
        }
        return modelFile;
    }

    /** Adds the model and optimizer settings to a report's configuration. */
    void describe(Map<String, Object> config, int units, Activation activation, String loss, int batch) {
        config.put("cell", cell.id());
        config.put("units", units);
        config.put("layers", layers);
        config.put("activation", cell == CellType.RNN ? activation.id() : null);
        config.put("loss", loss);
        config.put("init", init.name());
        config.put("optimizer", "adam");
        config.put("learning_rate", lr);
        config.put("batch", batch);
        config.put("seed", seed);
    }

    /** The recurrent layer these options describe ({@code activation} for rnn cells). */
    Recurrent recurrent(int inputSize, int units, Activation activation, boolean returnSequences, Rng rng) {
        return Recurrent.builder(cell, inputSize, units).layers(layers)
                .activation(cell == CellType.RNN ? activation : Activation.TANH)
                .init(init == InitScheme.tensorflow ? CellInit.tensorflow() : CellInit.pytorch())
                .returnSequences(returnSequences).rng(rng).build();
    }

    /** The dense output layer, initialized by the chosen scheme. */
    Dense dense(int inputSize, int outputSize, Rng rng) {
        return init == InitScheme.tensorflow
                ? new Dense(inputSize, outputSize, Activation.IDENTITY, Init.glorotUniform(), Init.zeros(), rng)
                : new Dense(inputSize, outputSize, rng);
    }
}
