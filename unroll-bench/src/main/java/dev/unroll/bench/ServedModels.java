package dev.unroll.bench;

import dev.unroll.infer.Predictor;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The two models the serving benchmarks run: the seed's forecaster (§12: RNN 100 ReLU, a dense
 * projection per step) and W1's classifier (§10: RNN 150 tanh over 28 steps of 28 pixels, final
 * state → dense 10). From a checkpoint when a path is given (e.g. {@code out/forecast/model.safetensors}
 * from {@code ./unroll forecast}), else the same architecture with seeded random weights (speed
 * depends on the shapes only).
 */
final class ServedModels {
    private ServedModels() {
    }

    /** The predictor of {@code "forecaster"}, {@code "classifier"}, or a checkpoint path (with its preprocessing). */
    static Predictor predictor(String model) {
        return switch (model) {
            case "forecaster", "classifier" -> Predictor.of(model(model));
            default -> {
                try {
                    yield Predictor.load(Path.of(model));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** The model of {@code "forecaster"}, {@code "classifier"}, or a checkpoint path. */
    static Sequential model(String model) {
        return switch (model) {
            case "forecaster" -> Workloads.forecaster(1);
            case "classifier" -> Workloads.classifier(CellType.RNN);
            default -> {
                try {
                    yield (Sequential) Checkpoint.load(Path.of(model));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
