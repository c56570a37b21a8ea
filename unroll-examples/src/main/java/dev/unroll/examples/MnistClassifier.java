package dev.unroll.examples;

import dev.unroll.data.LabeledData;
import dev.unroll.data.MnistDataset;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Seed §10: MNIST as sequences. Each 28×28 image is read as 28 time steps of 28 pixels by a
 * {@code BasicRNNCell} of 150 tanh units; a dense layer of 10 on its final state gives the logits;
 * sparse softmax cross-entropy, Adam at 0.001, batches of 150, 100 epochs; train and test accuracy
 * after every epoch. The book reports over 98% test accuracy.
 *
 * <p>Any data set in the MNIST IDX layout works (Fashion-MNIST too): images of R rows and C columns
 * become R steps of C features. The train accuracy printed is over the epoch's batches as they were
 * trained (the seed prints the last batch's).
 *
 * <p>Run: {@code unroll-examples/run MnistClassifier --data /tmp/datasets/mnist-digits [--epochs 100]}.
 */
public final class MnistClassifier {
    static final String USAGE = "MnistClassifier --data DIR [--epochs N] [--batch N] [--neurons N] [--learning-rate LR] [--seed S] "
            + "[--out FILE]";

    private MnistClassifier() {
    }

    /** The seed's settings are the defaults: 100 epochs of batch 150, 150 neurons, Adam at 0.001. */
    public record Settings(Path data, int epochs, int batchSize, int neurons, double learningRate, long seed, Path out) {
        static Settings read(Args a) {
            return new Settings(a.requiredPath("data", "a directory of MNIST-format IDX files (train-images-idx3-ubyte[.gz], ...)"),
                    a.positiveInt("epochs", 100), a.positiveInt("batch", 150), a.positiveInt("neurons", 150),
                    a.positiveNumber("learning-rate", 0.001, 1), a.seed(42),
                    a.path("out", Args.defaultOutput("my_mnist_model.safetensors")));
        }
    }

    /** Per-epoch progress, and the saved model. */
    public record Result(List<Progress> history, Sequential model) {
        /** Test accuracy after the last epoch. */
        public double testAccuracy() {
            return history.get(history.size() - 1).validationMetrics().get("accuracy");
        }
    }

    /** RNN of {@code neurons} tanh units over {@code features} per step; dense layer on its final state. */
    public static Sequential model(int features, int neurons, int classes, long seed) {
        Rng rng = new Rng(seed);
        return Sequential.of(
                Recurrent.builder(CellType.RNN, features, neurons).returnSequences(false).rng(rng).build(),
                new Dense(neurons, classes, rng));
    }

    static SequenceDataset sequences(LabeledData d) {
        return SequenceDataset.classification(d.inputs(), d.labels());
    }

    public static Result run(Settings s, PrintStream out) throws IOException {
        MnistDataset data = MnistDataset.load(s.data());
        out.printf("%s: %d training and %d test images of %d×%d (%d steps of %d pixels), %d classes%n", s.data(),
                data.train().size(), data.test().size(), data.rows(), data.cols(), data.rows(), data.cols(), data.classes());
        Sequential model = model(data.cols(), s.neurons(), data.classes(), s.seed());
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, s.learningRate()))
                .batchSize(s.batchSize()).epochs(s.epochs()).seed(s.seed()).metrics(Metric.accuracy())
                .listener(new TrainingListener() {
                    @Override
                    public void onProgress(Progress p) {
                        out.printf("%d Train accuracy: %.4f Test accuracy: %.4f (%.1f s)%n", p.epoch() - 1,
                                p.trainMetrics().get("accuracy"), p.validationMetrics().get("accuracy"), p.seconds());
                    }
                })
                .build();
        List<Progress> history = trainer.fit(sequences(data.train()), sequences(data.test()));
        Files.createDirectories(s.out().toAbsolutePath().getParent());
        Checkpoint.save(model, s.out());
        out.println("saved to " + s.out());
        return new Result(history, model);
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
