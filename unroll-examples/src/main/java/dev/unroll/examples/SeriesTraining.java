package dev.unroll.examples;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Sequential;
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
import java.util.List;

/**
 * What the time-series sections (§12–§16) share: training a forecaster on random windows of the
 * seed's series, reporting the MSE every 100 iterations, saving and restoring it, predicting the
 * seed's test instance, and measuring the MSE on windows it never saw.
 */
final class SeriesTraining {
    /** The seed's {@code n_steps}: every window is 20 steps. */
    static final int STEPS = 20;
    /** The seed's {@code batch_size}. */
    static final int BATCH_SIZE = 50;
    /** The seed prints the MSE every 100 iterations. */
    static final int REPORT_EVERY = 100;

    private SeriesTraining() {
    }

    /** The seed's {@code next_batch(batch_size, n_steps)}: random windows, targets one step ahead. */
    static BatchSource randomWindows(int batchSize) {
        return rng -> {
            SequencePairs p = TimeSeries.SEED.nextBatch(rng, batchSize, STEPS);
            return new Batch(p.inputs(), p.targets(), null, null);
        };
    }

    /**
     * Trains {@code model} with Adam on {@link #randomWindows} of 50 for {@code iterations} updates,
     * printing the MSE every 100 (the mean over those 100 batches, each measured as trained).
     */
    static List<Progress> train(Sequential model, double learningRate, int iterations, long seed, PrintStream out) {
        Trainer trainer = Trainer.builder(model, Loss.meanSquaredError(), new Adam(model, learningRate))
                .seed(seed)
                .listener(new TrainingListener() {
                    @Override
                    public void onProgress(Progress p) {
                        out.printf("%d\tMSE: %.6f%n", p.iteration(), p.trainLoss());
                    }
                })
                .build();
        return trainer.fit(randomWindows(BATCH_SIZE), iterations, REPORT_EVERY, null);
    }

    /** Saves the model (the seed's {@code saver.save}) and loads it back as a new model ({@code saver.restore}). */
    static Sequential saveAndRestore(Sequential model, Path file, PrintStream out) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Checkpoint.save(model, file);
        Sequential restored = (Sequential) Checkpoint.load(file);
        out.println("saved to " + file + " and restored: " + restored);
        return restored;
    }

    /**
     * The seed's test instance ({@code t_instance} from 12.2): prints time, input, target and the
     * model's prediction at each step, and returns the prediction {@code [1, 20, 1]}.
     */
    static Tensor predictTestInstance(Sequential model, PrintStream out) {
        double[] t = TimeSeries.SEED.instanceTimes(TimeSeries.SEED_INSTANCE_START, STEPS);
        SequencePairs instance = TimeSeries.SEED.instance(TimeSeries.SEED_INSTANCE_START, STEPS);
        Tensor prediction = model.predict(instance.inputs());
        out.println("test instance: t, instance y(t), target y(t+1), prediction");
        for (int i = 0; i < STEPS; i++) {
            out.printf("%.3f\t%9.5f\t%9.5f\t%9.5f%n", t[i], instance.inputs().get(0, i, 0), instance.targets().get(0, i, 0),
                    prediction.get(0, i, 0));
        }
        return prediction;
    }

    /** MSE over all steps of {@code windows} random windows drawn with a seed of their own. */
    static double freshWindowMse(Sequential model, int windows, long seed) {
        SequencePairs fresh = TimeSeries.SEED.nextBatch(new Rng(seed), windows, STEPS);
        return Measures.meanSquaredError(model.predict(fresh.inputs()), fresh.targets());
    }

    /** Inference with any layer (a {@link Sequential} has {@code predict} of its own). */
    static Tensor predict(Layer model, Tensor x) {
        try (var inference = Autograd.noGrad()) {
            return model.forward(Variable.constant(x), Context.inference()).value();
        }
    }
}
