package dev.unroll.examples;

import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Progress;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed §13: the §12 model without the projection wrapper. The RNN's outputs
 * {@code [batch, steps, 100]} are reshaped to {@code [batch·steps, 100]}, one dense layer projects
 * all rows at once, and the result is reshaped to {@code [batch, steps, 1]} — written here with
 * the seed's three operations ({@link StackedProjection}), each an automatic-differentiation op.
 * Trained as in §12; then, given the same weights, it is shown to compute what §12's model
 * (a {@link Dense} layer applied at every step) computes, outputs and gradients alike.
 *
 * <p>Run: {@code unroll-examples/run ProjectionWithoutWrapper [--iterations 1500]}.
 */
public final class ProjectionWithoutWrapper {
    static final String USAGE = "ProjectionWithoutWrapper [--iterations N] [--neurons N] [--learning-rate LR] [--seed S]";

    private ProjectionWithoutWrapper() {
    }

    /**
     * {@code tf.reshape(rnn_outputs, [-1, n_neurons])}, {@code tf.layers.dense(stacked, n_outputs)},
     * {@code tf.reshape(stacked_outputs, [-1, n_steps, n_outputs])}, with TensorFlow's dense layout:
     * {@code kernel [neurons, outputs]}, {@code bias [outputs]}.
     */
    public static final class StackedProjection extends Layer {
        private final int neurons;
        private final int outputs;
        private final Parameter kernel;
        private final Parameter bias;

        public StackedProjection(int neurons, int outputs, Rng rng) {
            this.neurons = neurons;
            this.outputs = outputs;
            float bound = (float) (1 / Math.sqrt(neurons));
            this.kernel = addParameter(new Parameter("kernel", Tensor.uniform(rng, -bound, bound, neurons, outputs)));
            this.bias = addParameter(new Parameter("bias", Tensor.zeros(outputs)));
        }

        @Override
        public Variable forward(Variable rnnOutputs, Context context) {
            int steps = rnnOutputs.dim(1);
            Variable stacked = rnnOutputs.reshape(-1, neurons);
            Variable stackedOutputs = stacked.matmul(kernel.variable()).add(bias.variable());
            return stackedOutputs.reshape(-1, steps, outputs);
        }

        @Override
        public String toString() {
            return "reshape [-1, " + neurons + "] -> dense(" + neurons + " -> " + outputs + ") -> reshape [-1, steps, " + outputs + "]";
        }

        @Override
        public String kind() {
            return "stacked_projection";
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("neurons", neurons);
            c.put("outputs", outputs);
            return c;
        }
    }

    /** Defaults as in the seed: 1500 iterations, 100 ReLU neurons, Adam at 0.001. */
    public record Settings(int iterations, int neurons, double learningRate, long seed) {
        static Settings read(Args a) {
            return new Settings(a.positiveInt("iterations", 1500), a.positiveInt("neurons", 100),
                    a.positiveNumber("learning-rate", 0.001, 1), a.seed(42));
        }
    }

    /**
     * The history of training the hand-written model, and how far §12's layer model is from it
     * given the same weights: the largest difference in outputs, and in gradients of the MSE.
     */
    public record Result(List<Progress> history, float outputDifference, float gradientDifference) {
    }

    /** The RNN with the hand-written projection: parameters {@code rnn.*}, {@code projection.kernel}, {@code projection.bias}. */
    public static Sequential model(int neurons, long seed) {
        Rng rng = new Rng(seed);
        return new Sequential()
                .add("rnn", Recurrent.builder(CellType.RNN, 1, neurons).activation(Activation.RELU).rng(rng).build())
                .add("projection", new StackedProjection(neurons, 1, rng));
    }

    /** §12's model holding {@code byHand}'s weights ({@code fc.weight} is the transposed kernel). */
    static Sequential layerModelWithWeightsOf(Sequential byHand, int neurons) {
        Sequential layered = TimeSeriesForecast.model(neurons, 0);
        Map<String, Parameter> from = byHand.namedParameters();
        Map<String, Parameter> to = layered.namedParameters();
        for (Map.Entry<String, Parameter> e : from.entrySet()) {
            if (e.getKey().startsWith("rnn.")) {
                to.get(e.getKey()).load(e.getValue().value());
            }
        }
        to.get("fc.weight").load(from.get("projection.kernel").value().transpose(0, 1));
        to.get("fc.bias").load(from.get("projection.bias").value());
        return layered;
    }

    /** Runs both models forward and backward on the same windows; the largest output and gradient differences. */
    static float[] differences(Sequential byHand, Sequential layered, SequencePairs windows) {
        Tensor[] outputs = new Tensor[2];
        Sequential[] models = {byHand, layered};
        for (int i = 0; i < 2; i++) {
            models[i].zeroGrad();
            Variable y = models[i].forward(Variable.constant(windows.inputs()), Context.inference());
            Losses.meanSquaredError(y, Variable.constant(windows.targets())).backward();
            outputs[i] = y.value();
        }
        float gradients = 0;
        Map<String, Parameter> layer = layered.namedParameters();
        for (Map.Entry<String, Parameter> e : byHand.namedParameters().entrySet()) {
            Tensor mine = e.getValue().grad();
            Tensor theirs = switch (e.getKey()) {
                case "projection.kernel" -> layer.get("fc.weight").grad().transpose(0, 1);
                case "projection.bias" -> layer.get("fc.bias").grad();
                default -> layer.get(e.getKey()).grad();
            };
            gradients = Math.max(gradients, Measures.maxAbsDifference(mine, theirs));
        }
        return new float[] {Measures.maxAbsDifference(outputs[0], outputs[1]), gradients};
    }

    public static Result run(Settings s, PrintStream out) {
        Sequential byHand = model(s.neurons(), s.seed());
        out.println("training " + byHand + " for " + s.iterations() + " iterations");
        List<Progress> history = SeriesTraining.train(byHand, s.learningRate(), s.iterations(), s.seed(), out);
        SeriesTraining.predictTestInstance(byHand, out);

        Sequential layered = layerModelWithWeightsOf(byHand, s.neurons());
        float[] d = differences(byHand, layered, TimeSeries.SEED.nextBatch(new Rng(s.seed() + 1), SeriesTraining.BATCH_SIZE,
                SeriesTraining.STEPS));
        out.printf("§12's model (a dense layer at every step) given these weights: outputs differ by at most %.3g, "
                + "gradients by at most %.3g%n", d[0], d[1]);
        return new Result(history, d[0], d[1]);
    }

    public static void main(String[] args) {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
