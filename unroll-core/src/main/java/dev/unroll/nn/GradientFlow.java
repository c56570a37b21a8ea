package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * How far back in time a gradient travels through a recurrent cell — the diagnosis of seed §17's
 * vanishing and exploding gradients. For the loss {@code L = Σ h(T)} (the final state summed over
 * units and instances), the norm of the gradient reaching the input of every step:
 *
 * <pre>
 *   norms[t] = ‖∂L/∂x(t)‖₂          t = 0 .. T−1
 * </pre>
 *
 * {@code norms[0] / norms[T−1]} far below 1 means the first steps cannot be learned from a loss at
 * the end (vanishing); far above 1, that updates driven by early steps blow up (exploding).
 */
public final class GradientFlow {
    private GradientFlow() {
    }

    /**
     * {@code ‖∂L/∂x(t)‖} for every step of {@code x [batch, time, inputSize]}, through the cell's fused
     * sequence kernel from zero states. The cell's parameter gradients are left as they were.
     */
    public static double[] inputGradientNorms(RecurrentCell cell, Tensor x) {
        Shape.requireRank("gradient flow input", x.shape(), 3, "[batch, time, features]");
        List<Tensor> savedGradients = new ArrayList<>();
        for (Parameter p : cell.parameters()) {
            savedGradients.add(p.grad().copy());
        }
        Variable input = Variable.parameter("x", x.copy());
        cell.forwardSequence(input, null, null).finalState().h().sum().backward();
        for (int i = 0; i < savedGradients.size(); i++) {
            cell.parameters().get(i).grad().copyFrom(savedGradients.get(i));
        }
        Tensor g = input.grad();
        int batch = x.dim(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        double[] norms = new double[steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int at = g.offset() + (b * steps + t) * features;
                for (int f = 0; f < features; f++) {
                    double v = g.data()[at + f];
                    norms[t] += v * v;
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            norms[t] = Math.sqrt(norms[t]);
        }
        return norms;
    }
}
