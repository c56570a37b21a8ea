package dev.unroll.examples;

import dev.unroll.data.MnistDataset;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.optim.Adam;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The README's Java example: train the seed's §10 classifier on MNIST-format images, save it, load
 * it back and predict. Run: {@code unroll-examples/run QuickStart DIR [EPOCHS]}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** Trains for {@code epochs}, saves to {@code file}, returns the loaded model's logits for 5 test images. */
    public static Tensor run(Path dir, int epochs, Path file) throws IOException {
        MnistDataset data = MnistDataset.load(dir);                        // four IDX files, .gz or raw
        SequenceDataset train = SequenceDataset.classification(data.train().inputs(), data.train().labels());
        SequenceDataset test = SequenceDataset.classification(data.test().inputs(), data.test().labels());

        Rng rng = new Rng(42);
        Sequential model = Sequential.of(
                Recurrent.builder(CellType.RNN, 28, 150).returnSequences(false).rng(rng).build(),  // 28 steps of 28 pixels
                new Dense(150, 10, rng));                                                          // final state → 10 logits
        Trainer trainer = Trainer.builder(model, Loss.softmaxCrossEntropy(), new Adam(model, 0.001))
                .batchSize(150).epochs(epochs).metrics(Metric.accuracy()).build();
        for (Progress p : trainer.fit(train, test)) {
            System.out.printf("epoch %d: test accuracy %.4f%n", p.epoch(), p.validationMetrics().get("accuracy"));
        }

        Checkpoint.save(model, file);
        Sequential loaded = (Sequential) Checkpoint.load(file);
        return loaded.predict(test.inputs().slice(0, 0, 5));                 // [5, 10] logits
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: QuickStart DIR [EPOCHS]   (DIR: MNIST-format IDX files)");
            System.exit(2);
        }
        Tensor logits = run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 10, Path.of("mnist.safetensors"));
        System.out.println("logits of 5 test images:\n" + logits);
    }
}
