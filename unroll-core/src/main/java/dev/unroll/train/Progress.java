package dev.unroll.train;

import java.util.Map;

/**
 * Where training stands after an epoch (or, when training by iterations, after a reporting
 * period): losses and metrics on the training batches seen since the last report and on the
 * validation set.
 *
 * @param epoch              1-based epoch, or reporting period
 * @param iteration          optimizer updates done so far
 * @param trainLoss          mean loss over the period's training batches
 * @param trainMetrics       metrics over the period's training batches, as trained
 * @param validationLoss     loss on the validation set (NaN without one)
 * @param validationMetrics  metrics on the validation set (empty without one)
 * @param learningRate       the learning rate at the end of the period
 * @param seconds            wall time of the period (training and validation)
 */
public record Progress(int epoch, long iteration, double trainLoss, Map<String, Double> trainMetrics,
                       double validationLoss, Map<String, Double> validationMetrics, double learningRate, double seconds) {
}
