package dev.unroll.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.SequencePairs;
import dev.unroll.data.TimeSeries;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellInit;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.train.Batch;
import dev.unroll.train.BatchSource;
import dev.unroll.train.Loss;
import dev.unroll.train.Progress;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingDivergedException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Seed §17, gradient clipping: an identity-initialized ReLU RNN reading 50 steps of the seed's
 * series (values up to ±12) accumulates them in its state, and its first gradient is huge. With
 * plain SGD that first update throws the weights so far that the next loss is infinite; clipped,
 * by global norm or by value, the same run stays finite and its loss falls.
 */
class ClippingRemedyTest {

    private static final BatchSource LONG_WINDOWS = rng -> {
        SequencePairs p = TimeSeries.SEED.nextBatch(rng, 16, 50);
        return new Batch(p.inputs(), p.targets(), null, null);
    };

    /** 40 updates of SGD at 0.001, with the clipping {@code clip} sets up; the losses of the first and last 20. */
    private static List<Progress> train(UnaryOperator<Optimizer> clip) {
        Rng rng = new Rng(3);
        Sequential model = Sequential.of(
                Recurrent.builder(CellType.RNN, 1, 16).activation(Activation.RELU).init(CellInit.identityRecurrent()).rng(rng).build(),
                new Dense(16, 1, rng));
        Optimizer sgd = clip.apply(new Sgd(model, 0.001));
        return Trainer.builder(model, Loss.meanSquaredError(), sgd).seed(1).threads(1).build().fit(LONG_WINDOWS, 40, 20, null);
    }

    @Test
    void withoutClippingTheRunDiverges() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train(o -> o));
        assertTrue(e.getMessage().contains("iteration 2"), e.getMessage());
    }

    @Test
    void clippingByGlobalNormKeepsItFiniteAndLearning() {
        List<Progress> h = train(o -> o.clipping(GradientClipping.byGlobalNorm(1f)));
        assertTrue(Double.isFinite(h.get(1).trainLoss()) && h.get(1).trainLoss() < h.get(0).trainLoss(), h.toString());
    }

    @Test
    void clippingByValueKeepsItFiniteAndLearning() {
        List<Progress> h = train(o -> o.clipping(GradientClipping.byValue(0.1f)));
        assertTrue(Double.isFinite(h.get(1).trainLoss()) && h.get(1).trainLoss() < h.get(0).trainLoss(), h.toString());
    }
}
