package dev.unroll.train;

import dev.unroll.tensor.Rng;

/**
 * An endless supply of training batches, e.g. random windows of a generated series (seed §11's
 * {@code next_batch}). Draws its randomness from the trainer's seeded {@link Rng}, so training is
 * reproducible and resumable.
 */
@FunctionalInterface
public interface BatchSource {
    Batch next(Rng rng);
}
