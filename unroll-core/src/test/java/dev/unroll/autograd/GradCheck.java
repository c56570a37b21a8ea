package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Central finite-difference gradient checks in float32.
 *
 * <p>The function's output {@code y} is reduced to the scalar {@code L = Σ y ⊙ R} with a fixed
 * random {@code R} (so every output element is checked, each with a different weight), the
 * analytic gradient comes from {@code y.backward(R)}, and each input element is compared with
 * {@code (L(x + ε) − L(x − ε)) / 2ε}, L summed in double. In float32 the difference quotient carries
 * rounding noise of about {@code 1e-7·|L| / ε}, hence ε = 1e-2 and the tolerance
 * {@code |num − ana| ≤ atol + rtol·max(|num|, |ana|)} with atol = 2e-3, rtol = 1e-2 by default;
 * smooth functions of O(1) inputs meet it with a wide margin, a wrong rule misses it by far.
 */
public final class GradCheck {
    private double eps = 1e-2;
    private double atol = 2e-3;
    private double rtol = 1e-2;
    private int maxElementsPerInput = 400;

    public static GradCheck standard() {
        return new GradCheck();
    }

    public GradCheck eps(double value) {
        eps = value;
        return this;
    }

    public GradCheck tolerance(double absolute, double relative) {
        atol = absolute;
        rtol = relative;
        return this;
    }

    /** Checks at most this many (evenly spaced) elements of each input. */
    public GradCheck maxElements(int n) {
        maxElementsPerInput = n;
        return this;
    }

    /**
     * Checks the gradient of {@code f} with respect to every input. Inputs are copied, so callers'
     * tensors are not modified.
     */
    public void check(String what, Function<List<Variable>, Variable> f, Tensor... inputs) {
        List<Variable> params = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            params.add(Variable.parameter("input" + i, inputs[i].copy()));
        }
        checkLeaves(what, () -> f.apply(params), params);
    }

    /**
     * Checks the gradient of the graph {@code f} builds with respect to the given leaves (variables
     * that require gradients, e.g. a layer's parameters), perturbing their values in place and
     * restoring them. Their gradients are zeroed first.
     */
    public void checkLeaves(String what, Supplier<Variable> f, List<Variable> leaves) {
        for (Variable leaf : leaves) {
            leaf.zeroGrad();
        }
        Variable y = f.get();
        Tensor r = Tensor.uniform(new Rng(12345), -1f, 1f, y.shape());
        y.backward(r);
        for (int i = 0; i < leaves.size(); i++) {
            Tensor x = leaves.get(i).value();
            Tensor analytic = leaves.get(i).grad();
            assertNotNull(analytic, what + ": no gradient reached " + leaves.get(i).name());
            int n = x.size();
            int stride = Math.max(1, n / maxElementsPerInput);
            for (int j = 0; j < n; j += stride) {
                float saved = x.data()[x.offset() + j];
                x.data()[x.offset() + j] = (float) (saved + eps);
                double plus = weightedSum(f, r);
                x.data()[x.offset() + j] = (float) (saved - eps);
                double minus = weightedSum(f, r);
                x.data()[x.offset() + j] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double ana = analytic.data()[analytic.offset() + j];
                if (Math.abs(numeric - ana) > atol + rtol * Math.max(Math.abs(numeric), Math.abs(ana))) {
                    fail(String.format("%s: d/d %s[%d]: analytic %.6g, numeric %.6g", what, leaves.get(i).name(), j, ana, numeric));
                }
            }
        }
    }

    private static double weightedSum(Supplier<Variable> f, Tensor r) {
        Tensor y;
        try (var scope = Autograd.noGrad()) {
            y = f.get().value();
        }
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += (double) y.data()[y.offset() + i] * r.data()[r.offset() + i];
        }
        return s;
    }
}
