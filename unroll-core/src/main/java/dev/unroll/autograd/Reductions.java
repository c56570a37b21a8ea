package dev.unroll.autograd;

import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;

/**
 * Sums and means, over all elements or along one axis. Sums accumulate in double, in an order fixed
 * by the shape alone, so the result does not depend on threading.
 */
public final class Reductions {
    /**
     * A total over more elements than this is the sum, in order, of the totals of consecutive
     * pieces this long, computed in parallel. The pieces depend on the size alone.
     */
    private static final int SUM_PIECE = 1 << 16;

    private Reductions() {
    }

    /** Σ of all elements, a scalar; backward adds dy to every element. */
    public static Variable sum(Variable x) {
        return scaledTotal("sum", x, 1.0);
    }

    /** Mean of all elements, a scalar; backward adds dy / n to every element. */
    public static Variable mean(Variable x) {
        int n = x.value().size();
        if (n == 0) {
            throw new IllegalArgumentException("mean of an empty tensor (shape " + Shape.toString(x.shape()) + ")");
        }
        return scaledTotal("mean", x, 1.0 / n);
    }

    /** Σ along an axis, which disappears from the shape. */
    public static Variable sum(Variable x, int axis) {
        return scaledAlong("sum", x, axis, false);
    }

    /** Mean along an axis, which disappears from the shape. */
    public static Variable mean(Variable x, int axis) {
        return scaledAlong("mean", x, axis, true);
    }

    private static Variable scaledTotal(String op, Variable x, double factor) {
        Tensor xv = x.value();
        double total = total(xv.data(), xv.offset(), xv.size());
        Tensor y = Tensor.scalar((float) (total * factor));
        return Autograd.record(op, y, dy -> {
            boolean first = x.grad() == null;
            Tensor dx = x.gradForAccumulation();
            float g = (float) (dy.data()[dy.offset()] * factor);
            float[] d = dx.data();
            int start = dx.offset();
            Parallel.forRanges(dx.size(), (from, to) -> {
                if (first) {
                    // Nothing accumulated yet: write the value instead of adding it to zeros.
                    Arrays.fill(d, start + from, start + to, g);
                } else {
                    for (int i = start + from; i < start + to; i++) {
                        d[i] += g;
                    }
                }
            });
        }, x);
    }

    /** Σ x[off, off + n), in double, in pieces of {@link #SUM_PIECE} summed in order. */
    private static double total(float[] x, int off, int n) {
        KernelProvider k = Kernels.provider();
        if (n <= SUM_PIECE) {
            return k.sum(n, x, off);
        }
        double[] pieces = new double[(n + SUM_PIECE - 1) / SUM_PIECE];
        Parallel.run(pieces.length, p -> {
            int from = p * SUM_PIECE;
            pieces[p] = k.sum(Math.min(SUM_PIECE, n - from), x, off + from);
        });
        double total = 0;
        for (double piece : pieces) {
            total += piece;
        }
        return total;
    }

    private static Variable scaledAlong(String op, Variable x, int axis, boolean mean) {
        int[] s = x.shape();
        int a = Shape.axis(axis, s.length);
        int outer = Shape.outer(s, a);
        int inner = Shape.inner(s, a);
        int len = s[a];
        if (mean && len == 0) {
            throw new IllegalArgumentException("mean along empty axis " + a + " of shape " + Shape.toString(s));
        }
        double factor = mean ? 1.0 / len : 1.0;
        int[] outShape = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != a) {
                outShape[j++] = s[i];
            }
        }
        Tensor xv = x.value();
        Tensor y = Tensor.zeros(outShape);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double total = 0;
                for (int i = 0; i < len; i++) {
                    total += xv.data()[xv.offset() + (o * len + i) * inner + in];
                }
                y.data()[o * inner + in] = (float) (total * factor);
            }
        }
        int innerF = inner;
        int outerF = outer;
        return Autograd.record(op, y, dy -> {
            Tensor dx = x.gradForAccumulation();
            for (int o = 0; o < outerF; o++) {
                for (int in = 0; in < innerF; in++) {
                    float g = (float) (dy.data()[dy.offset() + o * innerF + in] * factor);
                    for (int i = 0; i < len; i++) {
                        dx.data()[dx.offset() + (o * len + i) * innerF + in] += g;
                    }
                }
            }
        }, x);
    }
}
