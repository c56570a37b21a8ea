package dev.unroll.spark;

import dev.unroll.nn.Module;
import dev.unroll.optim.Optimizer;
import java.io.Serializable;

/**
 * Makes an optimizer for a model on an executor (local SGD's workers each step their own), e.g.
 * {@code model -> new Adam(model, 0.001).clipping(GradientClipping.byGlobalNorm(1f))}. Serializable,
 * so that Spark can ship it.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    Optimizer create(Module model);
}
