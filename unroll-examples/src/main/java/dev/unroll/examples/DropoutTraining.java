package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.data.TimeSeries;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
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
 * Seed §16: dropout in a deep RNN. Three {@code BasicRNNCell}s of 100 units, each wrapped in a
 * {@code DropoutWrapper(input_keep_prob=0.5)} — here the recurrent layer's input dropout of rate
 * 0.5 on every layer — then a dense projection; trained on the series with Adam at 0.01 for 1500
 * iterations. Dropout acts only while training: the restored model predicts without it (the
 * seed's {@code keep_prob} defaulting to 1.0), so its predictions are repeatable.
 *
 * <p>With a single input feature, dropping half the inputs hides half of the series from the
 * network: the MSE stays far above §12's (about 4 against 0.05). {@code --keep 1} trains the same
 * network to about 0.04, {@code --keep 0.9} to about 0.2 in 500 iterations.
 *
 * <p>Run: {@code unroll-examples/run DropoutTraining [--iterations 1500] [--keep 0.5]}.
 */
public final class DropoutTraining {
    static final String USAGE = "DropoutTraining [--iterations N] [--layers N] [--neurons N] [--keep P] [--learning-rate LR] [--seed S] "
            + "[--out FILE]";

    private DropoutTraining() {
    }

    /** The seed's settings are the defaults: 3 × 100, keep probability 0.5, Adam at 0.01, 1500 iterations. */
    public record Settings(int iterations, int layers, int neurons, double keep, double learningRate, long seed, Path out) {
        static Settings read(Args a) {
            return new Settings(a.positiveInt("iterations", 1500), a.positiveInt("layers", 3), a.positiveInt("neurons", 100),
                    a.positiveNumber("keep", 0.5, 1), a.positiveNumber("learning-rate", 0.01, 1), a.seed(42),
                    a.path("out", Args.defaultOutput("my_dropout_time_series_model.safetensors")));
        }
    }

    /**
     * @param trainingSpread largest difference between two training-mode passes over the same input
     * @param inferenceSpread largest difference between two inference passes (zero: no dropout)
     */
    public record Result(List<Progress> history, Tensor prediction, double freshMse, float trainingSpread, float inferenceSpread) {
    }

    /** {@code MultiRNNCell([DropoutWrapper(BasicRNNCell(neurons), input_keep_prob=keep)] × layers)} and the projection. */
    public static Sequential model(int layers, int neurons, double keep, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(
                Recurrent.builder(CellType.RNN, 1, neurons).layers(layers).inputDropout((float) (1 - keep)).rng(rng).build(),
                new Dense(neurons, 1, rng));
    }

    /** Largest difference between two passes of {@code model} over {@code x} in the given mode. */
    static float spread(Sequential model, Tensor x, boolean training, Rng masks) {
        try (var noTape = Autograd.noGrad()) {
            Context context = training ? Context.training(null, masks) : Context.inference();
            Tensor first = model.forward(Variable.constant(x), context).value();
            Tensor second = model.forward(Variable.constant(x), context).value();
            return Measures.maxAbsDifference(first, second);
        }
    }

    public static Result run(Settings s, PrintStream out) throws IOException {
        Sequential model = model(s.layers(), s.neurons(), s.keep(), s.seed());
        out.println("training " + model + " with input keep probability " + s.keep() + " for " + s.iterations() + " iterations");
        List<Progress> history = SeriesTraining.train(model, s.learningRate(), s.iterations(), s.seed(), out);
        Sequential restored = SeriesTraining.saveAndRestore(model, s.out(), out);
        Tensor instance = TimeSeries.SEED.instance(TimeSeries.SEED_INSTANCE_START, SeriesTraining.STEPS).inputs();
        float training = spread(restored, instance, true, new Rng(s.seed()));
        float inference = spread(restored, instance, false, null);
        out.printf("two passes over the test instance differ by up to %.3f in training mode (dropout on), by %.1f at inference%n",
                training, inference);
        Tensor prediction = SeriesTraining.predictTestInstance(restored, out);
        double mse = SeriesTraining.freshWindowMse(restored, TimeSeriesForecast.FRESH_WINDOWS, s.seed() + 1);
        out.printf("MSE on %d fresh random windows: %.5f%n", TimeSeriesForecast.FRESH_WINDOWS, mse);
        return new Result(history, prediction, mse, training, inference);
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
