package dev.unroll.infer;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/** Small models of the two shapes served (a forecaster and a classifier) and inputs for them. */
final class Models {
    private Models() {
    }

    /** Seed §12's shape: 1 value per step → recurrent → a prediction per step. */
    static Sequential forecaster(CellType type, int hidden, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(Recurrent.builder(type, 1, hidden).activation(type == CellType.RNN ? Activation.RELU : Activation.TANH)
                .rng(rng).build(), new Dense(hidden, 1, rng));
    }

    /** Seed §10's shape: {@code features} per step → recurrent → final state → class scores. */
    static Sequential classifier(CellType type, int features, int hidden, int classes, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(Recurrent.builder(type, features, hidden).layers(2).returnSequences(false).rng(rng).build(),
                new Dense(hidden, classes, rng));
    }

    static Tensor inputs(long seed, int... shape) {
        return Tensor.uniform(new Rng(seed), -1f, 1f, shape);
    }
}
