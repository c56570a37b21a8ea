package dev.unroll.examples;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellInit;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Init;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Seed §11–§12: forecasting the series {@code y(t) = t·sin(t)/3 + 2·sin(5t)} one step ahead. A
 * {@code BasicRNNCell} of 100 ReLU units whose output at every step is projected to one value
 * (TensorFlow's {@code OutputProjectionWrapper}; here a {@link Dense} layer applied at every step,
 * which is the same arithmetic), trained on random 20-step windows with the MSE loss and Adam
 * (learning rate 0.001, 1500 iterations of batch 50). The model is then saved, restored, and
 * predicts the seed's test instance; last, its MSE on 1000 fresh random windows.
 *
 * <p>Run: {@code unroll-examples/run TimeSeriesForecast [--iterations 1500] [--out FILE]}.
 */
public final class TimeSeriesForecast {
    static final String USAGE = "TimeSeriesForecast [--iterations N] [--neurons N] [--learning-rate LR] [--seed S] [--out FILE]";
    /** How many fresh windows the final MSE is measured on. */
    static final int FRESH_WINDOWS = 1000;

    private TimeSeriesForecast() {
    }

    /** The seed's settings are the defaults: 1500 iterations, 100 neurons, Adam at 0.001. */
    public record Settings(int iterations, int neurons, double learningRate, long seed, Path out) {
        static Settings read(Args a) {
            return new Settings(a.positiveInt("iterations", 1500), a.positiveInt("neurons", 100),
                    a.positiveNumber("learning-rate", 0.001, 1), a.seed(42),
                    a.path("out", Args.defaultOutput("my_time_series_model.safetensors")));
        }
    }

    /** The trained and restored model, the MSE history, its prediction of the test instance, its fresh-window MSE. */
    public record Result(Sequential model, List<Progress> history, Tensor prediction, double freshMse) {
    }

    /**
     * {@code OutputProjectionWrapper(BasicRNNCell(neurons, relu), output_size=1)}, initialized as
     * TensorFlow 1.x did in the seed (Glorot-uniform kernels, zero biases).
     */
    public static Sequential model(int neurons, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(
                Recurrent.builder(CellType.RNN, 1, neurons).activation(Activation.RELU).init(CellInit.tensorflow()).rng(rng).build(),
                new Dense(neurons, 1, Activation.IDENTITY, Init.glorotUniform(), Init.zeros(), rng));
    }

    public static Result run(Settings s, PrintStream out) throws IOException {
        Sequential model = model(s.neurons(), s.seed());
        out.println("training " + model + " for " + s.iterations() + " iterations");
        List<Progress> history = SeriesTraining.train(model, s.learningRate(), s.iterations(), s.seed(), out);
        Sequential restored = SeriesTraining.saveAndRestore(model, s.out(), out);
        Tensor prediction = SeriesTraining.predictTestInstance(restored, out);
        double mse = SeriesTraining.freshWindowMse(restored, FRESH_WINDOWS, s.seed() + 1);
        out.printf("MSE on %d fresh random windows: %.5f%n", FRESH_WINDOWS, mse);
        return new Result(restored, history, prediction, mse);
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
