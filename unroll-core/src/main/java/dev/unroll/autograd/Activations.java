package dev.unroll.autograd;

import dev.unroll.kernel.Activation;
import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
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
        KernelProvider k = Kernels.provider();
        Parallel.forRanges(y.size(), (from, to) -> k.activate(f, xv.data(), xv.offset() + from, y.data(), from, to - from));
        return Autograd.record(f.id(), y, dy -> {
            Tensor dx = x.gradForAccumulation();
            Parallel.forRanges(y.size(), (from, to) -> k.activateBackward(f, y.data(), from, dy.data(), dy.offset() + from,
                    dx.data(), dx.offset() + from, to - from, true));
        }, x);
    }
}
