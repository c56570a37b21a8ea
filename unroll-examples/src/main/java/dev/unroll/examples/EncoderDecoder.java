package dev.unroll.examples;

import dev.unroll.autograd.Variable;
import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentOutput;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSource;
import dev.unroll.train.Loss;
import dev.unroll.train.Progress;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed §3: an encoder (sequence → vector) followed by a decoder (vector → sequence). The encoder
 * reads a window of the seed's series; its final state is the only thing the decoder receives: it
 * starts from that state and, with no input of its own (a zero vector at every step, as the
 * decoder steps of the seed's figure have none), unrolls for as many steps as it must forecast; a
 * dense layer turns each decoder step into a value. Trained to output the 20 values that follow
 * the 20 it read.
 *
 * <p>The model is a {@link Layer} composed in Java from two recurrent layers and a dense one (its
 * children), so the trainer, the optimizers and checkpoints work on it unchanged.
 *
 * <p>Run: {@code unroll-examples/run EncoderDecoder [--iterations 1000] [--steps 20]}.
 */
public final class EncoderDecoder {
    static final String USAGE = "EncoderDecoder [--iterations N] [--steps N] [--neurons N] [--learning-rate LR] [--seed S] [--out FILE]";

    private EncoderDecoder() {
    }

    /** The encoder–decoder network; parameters {@code encoder.*}, {@code decoder.*}, {@code head.*}. */
    public static final class Model extends Layer {
        private final Recurrent encoder;
        private final Recurrent decoder;
        private final Dense head;
        private final int outputSteps;

        public Model(int features, int neurons, int outputSteps, Rng rng) {
            if (outputSteps < 1) {
                throw new IllegalArgumentException("encoder-decoder: output steps must be at least 1, got " + outputSteps);
            }
            this.outputSteps = outputSteps;
            this.encoder = addModule("encoder", Recurrent.builder(CellType.RNN, features, neurons).rng(rng).build());
            this.decoder = addModule("decoder", Recurrent.builder(CellType.RNN, 1, neurons).rng(rng).build());
            this.head = addModule("head", new Dense(neurons, features, rng));
        }

        /** {@code [batch, time, features]} → {@code [batch, outputSteps, features]}. */
        @Override
        public Variable forward(Variable x, Context context) {
            RecurrentOutput encoded = encoder.forward(x, context.lengths(), null, context.training(), context.rng());
            Variable noInput = Variable.constant(Tensor.zeros(x.dim(0), outputSteps, 1));
            RecurrentOutput decoded = decoder.forward(noInput, null, encoded.finalStates(), context.training(), context.rng());
            return head.forward(decoded.outputs(), context);
        }

        @Override
        public String kind() {
            return "encoder_decoder";
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("encoder", encoder.config());
            c.put("decoder", decoder.config());
            c.put("head", head.config());
            c.put("output_steps", outputSteps);
            return c;
        }
    }

    /** Defaults: 1000 iterations of batch 50, windows of 20 → 20, 100 neurons, Adam at 0.001. */
    public record Settings(int iterations, int steps, int neurons, double learningRate, long seed, Path out) {
        static Settings read(Args a) {
            return new Settings(a.positiveInt("iterations", 1000), a.positiveInt("steps", SeriesTraining.STEPS),
                    a.positiveInt("neurons", 100), a.positiveNumber("learning-rate", 0.001, 1), a.seed(42),
                    a.path("out", Args.defaultOutput("my_encoder_decoder.safetensors")));
        }
    }

    /** The training history and the MSE of the restored model and of the naive forecast, on fresh windows. */
    public record Result(List<Progress> history, double modelMse, double lastValueMse) {
    }

    /**
     * Random runs of {@code 2·steps} values of the series: the first half to read, the second half to
     * forecast. (The trainer pairs every input step with a target step, so both halves have
     * {@code steps} steps.)
     */
    static Batch forecastBatch(Rng rng, int batchSize, int steps) {
        // Each run is 2·steps consecutive values y(0 .. 2·steps − 1): its inputs are y(0 .. 2·steps − 2),
        // its targets y(1 .. 2·steps − 1).
        SequencePairs run = TimeSeries.SEED.nextBatch(rng, batchSize, 2 * steps - 1);
        Tensor history = run.inputs().slice(1, 0, steps);
        Tensor future = run.targets().slice(1, steps - 1, 2 * steps - 1);
        return new Batch(history, future, null, null);
    }

    public static Result run(Settings s, PrintStream out) throws IOException {
        Model model = new Model(1, s.neurons(), s.steps(), new Rng(s.seed()));
        BatchSource source = rng -> forecastBatch(rng, SeriesTraining.BATCH_SIZE, s.steps());
        Trainer trainer = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, s.learningRate()))
                .seed(s.seed())
                .listener(new TrainingListener() {
                    @Override
                    public void onProgress(Progress p) {
                        out.printf("%d\tMSE of the %d-step forecast: %.5f%n", p.iteration(), s.steps(), p.trainLoss());
                    }
                })
                .build();
        out.println("encoder-decoder: read " + s.steps() + " values, forecast the next " + s.steps());
        List<Progress> history = trainer.fit(source, s.iterations(), SeriesTraining.REPORT_EVERY, null);

        Files.createDirectories(s.out().toAbsolutePath().getParent());
        Checkpoint.save(model, s.out());
        Model restored = new Model(1, s.neurons(), s.steps(), new Rng(s.seed() + 1));
        Checkpoint.loadInto(restored, s.out());
        out.println("saved to " + s.out() + " and loaded into a new model");

        Batch fresh = forecastBatch(new Rng(s.seed() + 1), 1000, s.steps());
        Tensor forecast = SeriesTraining.predict(restored, fresh.inputs());
        double modelMse = Measures.meanSquaredError(forecast, fresh.targets());
        double naiveMse = Measures.meanSquaredError(lastValueRepeated(fresh.inputs()), fresh.targets());
        out.printf("on 1000 fresh windows: MSE %.4f; repeating the last value read: MSE %.4f%n", modelMse, naiveMse);
        out.println("first fresh window, the next " + s.steps() + " values:\n  truth    " + rounded(fresh.targets().slice(0, 0, 1))
                + "\n  forecast " + rounded(forecast.slice(0, 0, 1)));
        return new Result(history, modelMse, naiveMse);
    }

    /** The naive forecast: the last value read, at every future step. */
    static Tensor lastValueRepeated(Tensor history) {
        int batch = history.dim(0);
        int steps = history.dim(1);
        Tensor y = Tensor.zeros(batch, steps, 1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                y.set(history.get(b, steps - 1, 0), b, t, 0);
            }
        }
        return y;
    }

    private static String rounded(Tensor values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values.toArray()) {
            sb.append(String.format("%7.2f", v));
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
