package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentOutput;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;

/**
 * Seed §15: a deep RNN, TensorFlow's {@code MultiRNNCell} of 3 {@code BasicRNNCell}s of 100 units,
 * run over a random batch of 2 sequences of 5 steps with 2 inputs. Each layer reads the outputs of
 * the one below; the layer returns the top layer's outputs and the final state of every layer.
 *
 * <p>Run: {@code unroll-examples/run DeepRnn [--layers 3] [--neurons 100] [--seed 42]}.
 */
public final class DeepRnn {
    static final String USAGE = "DeepRnn [--layers N] [--neurons N] [--seed S]";

    private DeepRnn() {
    }

    /** The stacked layer (seed: 3 × 100) on 2 inputs. */
    public static Recurrent model(int layers, int neurons, long seed) {
        return Recurrent.builder(CellType.RNN, 2, neurons).layers(layers).rng(new Rng(seed)).build();
    }

    /** The seed's {@code X_batch = np.random.rand(2, n_steps, n_inputs)}, seeded: U[0, 1), 2 × 5 × 2. */
    public static Tensor seedBatch(long seed) {
        return Tensor.uniform(new Rng(seed + 1), 0f, 1f, 2, 5, 2);
    }

    public static RecurrentOutput run(Recurrent rnn, Tensor x) {
        try (var inference = Autograd.noGrad()) {
            return rnn.forward(Variable.constant(x));
        }
    }

    /** The seed's settings: 3 layers of 100 neurons. */
    record Settings(int layers, int neurons, long seed) {
    }

    public static void main(String[] args) {
        Settings s = Args.parse(USAGE, args, a -> new Settings(a.positiveInt("layers", 3), a.positiveInt("neurons", 100), a.seed(42)));
        Recurrent rnn = model(s.layers(), s.neurons(), s.seed());
        RecurrentOutput out = run(rnn, seedBatch(s.seed()));
        System.out.println(rnn + ": outputs of the top layer " + Arrays.toString(out.outputs().shape()));
        for (int layer = 0; layer < out.finalStates().size(); layer++) {
            Tensor h = out.finalStates().get(layer).h().value();
            System.out.println("layer " + layer + " final state " + Arrays.toString(h.shape()) + ", instance 1 begins "
                    + Arrays.toString(Arrays.copyOf(h.toArray(), 4)) + " ...");
        }
        Tensor lastStep = out.outputs().value().slice(1, 4, 5).reshape(2, -1);
        System.out.println("the top layer's final state is its output at the last step: "
                + Arrays.equals(lastStep.toArray(), out.lastHidden().value().toArray()));
    }
}
