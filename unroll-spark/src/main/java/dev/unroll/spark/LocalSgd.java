package dev.unroll.spark;

import java.io.Serializable;

/**
 * Local SGD (parameter averaging, DL4J's {@code ParameterAveragingTrainingMaster}, federated
 * averaging): fewer and longer jobs when steps are short. Each round (one global batch of the
 * driver's {@link dev.unroll.train.Trainer}) every partition takes its rows of the batch, trains a
 * copy of the model on them for {@code steps} local steps with its own optimizer (a fresh one each
 * round, from {@code optimizer}), and returns its parameter change. The driver averages the
 * changes, weighted by each worker's loss terms, as a pseudo-gradient and hands it to the trainer's
 * optimizer: with {@code new Sgd(model, 1.0)} there that is plain parameter averaging; a momentum
 * SGD there gives an outer momentum (as in DiLoCo).
 *
 * <p>This is <em>not</em> one-machine training: the average of k steps on a quarter of the data
 * each is not k steps on all of it, results depend on the number of partitions, and the inner
 * optimizers' state (e.g. Adam's moments) starts from zero every round. It is deterministic for a
 * given partitioning (workers' changes are added in partition order). Its measured effect on
 * accuracy is in {@code docs/spark.md}.
 *
 * @param steps     local steps per round; a worker's share of the round's batch is cut into this
 *                  many mini-batches
 * @param optimizer the workers' optimizer
 */
public record LocalSgd(int steps, OptimizerFactory optimizer) implements Serializable {

    public LocalSgd {
        if (steps < 1) {
            throw new IllegalArgumentException("local SGD: steps per round must be at least 1, got " + steps);
        }
    }
}
