package dev.unroll.autograd;

import dev.unroll.kernel.KernelProvider;
import dev.unroll.kernel.Kernels;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Element-wise sum, difference and product with NumPy broadcasting, and scaling by a constant.
 * The gradient of a broadcast operand is the output gradient summed over the positions it was
 * stretched to (so a bias {@code [1, n]} added to {@code [batch, n]} receives the batch sum).
 *
 * <p>Same-shape operands and bias-like operands (repeated over leading axes) take kernel fast
 * paths; any other broadcast goes through explicit index maps.
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    private enum Kind { ADD, SUB, MUL }

    /** {@code a + b}. */
    public static Variable add(Variable a, Variable b) {
        return binary(Kind.ADD, a, b);
    }

    /** {@code a − b}. */
    public static Variable sub(Variable a, Variable b) {
        return binary(Kind.SUB, a, b);
    }

    /** {@code a ⊙ b}. */
    public static Variable mul(Variable a, Variable b) {
        return a == b ? square(a) : binary(Kind.MUL, a, b);
    }

    /**
     * {@code x ⊙ x} (PyTorch's {@code x.pow(2)}); backward {@code dx += 2·(x ⊙ dy)}. One pass each
     * way, where the product of x with itself would make two for its gradient.
     */
    public static Variable square(Variable x) {
        Tensor xv = x.value();
        Tensor y = Tensor.zeros(xv.shape());
        KernelProvider k = Kernels.provider();
        float[] xd = xv.data();
        int xo = xv.offset();
        Parallel.forRanges(y.size(), (from, to) -> k.mul(to - from, xd, xo + from, xd, xo + from, y.data(), from, false));
        return Autograd.record("square", y, dy -> {
            // A gradient not started yet is written, not added to (no pass over its zeros).
            boolean first = x.grad() == null;
            Tensor dx = x.gradForAccumulation();
            Parallel.forRanges(dy.size(), (from, to) -> k.scaledMul(to - from, 2f, dy.data(), dy.offset() + from,
                    xd, xo + from, dx.data(), dx.offset() + from, !first));
        }, x);
    }

    /** {@code factor · x}; backward {@code dx += factor · dy}. */
    public static Variable scale(Variable x, float factor) {
        Tensor xv = x.value();
        Tensor y = Tensor.zeros(xv.shape());
        KernelProvider k = Kernels.provider();
        Parallel.forRanges(y.size(), (from, to) -> k.axpy(to - from, factor, xv.data(), xv.offset() + from, y.data(), from));
        return Autograd.record("scale", y, dy -> {
            Tensor dx = x.gradForAccumulation();
            Parallel.forRanges(dy.size(), (from, to) -> k.axpy(to - from, factor, dy.data(), dy.offset() + from,
                    dx.data(), dx.offset() + from));
        }, x);
    }

    /** One operand seen from the result: full-shaped, tiled over leading axes, or generally broadcast. */
    private static final class Operand {
        final Tensor value;
        final int[] outShape;
        final boolean full;
        /** How many times the operand repeats over the result's leading axes (bias-like), or −1. */
        final int tiles;
        private int[] index;

        Operand(Tensor value, int[] outShape) {
            this.value = value;
            this.outShape = outShape;
            this.full = Arrays.equals(value.shape(), outShape);
            this.tiles = full ? -1 : Broadcast.tileCount(value.shape(), outShape);
        }

        /** Offset into the operand of result element i. */
        int at(int i) {
            if (full) {
                return value.offset() + i;
            }
            if (index == null) {
                index = new Broadcast(value.shape(), outShape).offsets();
            }
            return value.offset() + index[i];
        }
    }

    private static Variable binary(Kind kind, Variable a, Variable b) {
        String op = kind.name().toLowerCase(Locale.ROOT);
        int[] outShape = Shape.broadcast(op, a.shape(), b.shape());
        Operand pa = new Operand(a.value(), outShape);
        Operand pb = new Operand(b.value(), outShape);
        Tensor y = Tensor.zeros(outShape);
        int n = y.size();
        KernelProvider k = Kernels.provider();
        float[] ad = pa.value.data();
        float[] bd = pb.value.data();
        float[] yd = y.data();
        float bSign = kind == Kind.SUB ? -1f : 1f;

        if (pa.full && pb.full) {
            int ao = pa.value.offset();
            int bo = pb.value.offset();
            Parallel.forRanges(n, (from, to) -> {
                if (kind == Kind.MUL) {
                    k.mul(to - from, ad, ao + from, bd, bo + from, yd, from, false);
                } else {
                    System.arraycopy(ad, ao + from, yd, from, to - from);
                    k.axpy(to - from, bSign, bd, bo + from, yd, from);
                }
            });
        } else if (pa.full && pb.tiles > 0 && kind != Kind.MUL) {
            System.arraycopy(ad, pa.value.offset(), yd, 0, n);
            int period = pb.value.size();
            for (int start = 0; start < n; start += period) {
                k.axpy(period, bSign, bd, pb.value.offset(), yd, start);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float x1 = ad[pa.at(i)];
                float x2 = bd[pb.at(i)];
                yd[i] = switch (kind) {
                    case ADD -> x1 + x2;
                    case SUB -> x1 - x2;
                    case MUL -> x1 * x2;
                };
            }
        }
        return Autograd.record(op, y, dy -> {
            if (a.requiresGrad()) {
                accumulate(a.gradForAccumulation(), dy, pa, kind == Kind.MUL ? pb : null, 1f);
            }
            if (b.requiresGrad()) {
                accumulate(b.gradForAccumulation(), dy, pb, kind == Kind.MUL ? pa : null, bSign);
            }
        }, a, b);
    }

    /**
     * Gradient of one operand: {@code target[at(i)] += sign · dy[i] · other[at(i)]} (the factor only
     * for products), i.e. the output gradient summed over every position the operand reached.
     */
    private static void accumulate(Tensor target, Tensor dy, Operand self, Operand other, float sign) {
        int n = dy.size();
        KernelProvider k = Kernels.provider();
        if (other == null && self.full) {
            Parallel.forRanges(n, (from, to) -> k.axpy(to - from, sign, dy.data(), dy.offset() + from,
                    target.data(), target.offset() + from));
        } else if (other == null && self.tiles > 0 && sign == 1f) {
            int cols = target.size();
            k.sumRows(self.tiles, cols, dy.data(), dy.offset(), cols, target.data(), target.offset(), true);
        } else if (other != null && self.full && other.full) {
            Parallel.forRanges(n, (from, to) -> k.mul(to - from, dy.data(), dy.offset() + from,
                    other.value.data(), other.value.offset() + from, target.data(), target.offset() + from, true));
        } else {
            // target's own offset is applied through self.at(i), which indexes into self.value,
            // the tensor whose gradient target is (same shape, possibly different storage).
            float[] t = target.data();
            float[] g = dy.data();
            int shift = target.offset() - self.value.offset();
            for (int i = 0; i < n; i++) {
                float v = sign * g[dy.offset() + i];
                if (other != null) {
                    v *= other.value.data()[other.at(i)];
                }
                t[self.at(i) + shift] += v;
            }
        }
    }
}
