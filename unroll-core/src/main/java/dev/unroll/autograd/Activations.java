package dev.unroll.autograd;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.Kernels;
import dev.unroll.tensor.Tensor;

/**
 * Element-wise activations. The backward rule uses the saved output y (see {@link Activation} for
 * each derivative written in terms of y), so the input need not be kept.
 */
public final class Activations {
    private Activations() {
    }

    public static Variable tanh(Variable x) {
        return apply(Activation.TANH, x);
    }

    public static Variable sigmoid(Variable x) {
        return apply(Activation.SIGMOID, x);
    }

    public static Variable relu(Variable x) {
        return apply(Activation.RELU, x);
    }

    /** {@code y = f(x)}; backward {@code dx += dy · f'(x)}, with f' computed from y. */
    public static Variable apply(Activation f, Variable x) {
        Tensor xv = x.value();
        Tensor y = Tensor.zeros(xv.shape());
        Kernels.provider().activate(f, xv.data(), xv.offset(), y.data(), 0, y.size());
        return Autograd.record(f.id(), y, dy -> {
            Tensor dx = x.gradForAccumulation();
            Kernels.provider().activateBackward(f, y.data(), 0, dy.data(), dy.offset(), dx.data(), dx.offset(), y.size(), true);
        }, x);
    }
}
