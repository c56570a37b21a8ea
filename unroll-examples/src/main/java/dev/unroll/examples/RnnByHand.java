package dev.unroll.examples;

import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;

/**
 * Seed §4: a recurrent layer of 5 neurons over two time steps, written by hand with tensors and
 * automatic differentiation — no ready-made cell.
 *
 * <pre>
 *   Y0 = tanh(X0·Wx + b)
 *   Y1 = tanh(Y0·Wy + X1·Wx + b)        Wx [3×5], Wy [5×5], b [1×5]
 * </pre>
 *
 * The four instances of the mini-batch share Wx, Wy and b; step 1 of an instance depends on its
 * step 0. Because Wx and b are used at both steps, their gradients are the sums of the two
 * steps' contributions. The loss here is {@code mean((Y1 − 0.5)²)}, on the last step only.
 *
 * <p>Run: {@code unroll-examples/run RnnByHand} (see {@code unroll-examples/README.md}).
 */
public final class RnnByHand {
    private RnnByHand() {
    }

    /** Instances at t = 0 (the seed's X0_batch). */
    public static final Tensor X0 = Tensor.of(new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 0, 1}});
    /** Instances at t = 1 (the seed's X1_batch). */
    public static final Tensor X1 = Tensor.of(new float[][] {{9, 8, 7}, {0, 0, 0}, {6, 5, 4}, {3, 2, 1}});

    /** Outputs of both steps, the loss, and its gradients with respect to the three parameters. */
    public record Result(Tensor y0, Tensor y1, float loss, Tensor gradWx, Tensor gradWy, Tensor gradB) {
    }

    /** Builds the two-step network with the given weights, runs it forward and backward. */
    public static Result run(Tensor wxValue, Tensor wyValue, Tensor bValue, Tensor x0, Tensor x1, Tensor target) {
        Variable wx = Variable.parameter("Wx", wxValue);
        Variable wy = Variable.parameter("Wy", wyValue);
        Variable b = Variable.parameter("b", bValue);
        Variable xAt0 = Variable.constant(x0);
        Variable xAt1 = Variable.constant(x1);

        Variable y0 = xAt0.matmul(wx).add(b).tanh();
        Variable y1 = y0.matmul(wy).add(xAt1.matmul(wx)).add(b).tanh();
        Variable loss = Losses.meanSquaredError(y1, Variable.constant(target));
        loss.backward();
        return new Result(y0.value(), y1.value(), loss.value().get(), wx.grad(), wy.grad(), b.grad());
    }

    public static void main(String[] args) {
        Rng rng = new Rng(42);
        int inputs = 3;
        int neurons = 5;
        // As in the seed: Wx and Wy ~ N(0, 1), b = 0.
        Tensor wx = Tensor.randn(rng, inputs, neurons);
        Tensor wy = Tensor.randn(rng, neurons, neurons);
        Tensor b = Tensor.zeros(1, neurons);
        Result r = run(wx, wy, b, X0, X1, Tensor.full(0.5f, 4, neurons));
        System.out.println("Y0 =\n" + r.y0());
        System.out.println("Y1 =\n" + r.y1());
        System.out.println("loss = mean((Y1 - 0.5)^2) = " + r.loss());
        System.out.println("dloss/dWx =\n" + r.gradWx());
        System.out.println("dloss/dWy =\n" + r.gradWy());
        System.out.println("dloss/db =\n" + r.gradB());
    }
}
