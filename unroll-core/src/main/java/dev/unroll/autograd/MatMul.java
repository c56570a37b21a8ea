package dev.unroll.autograd;

import dev.unroll.kernel.GemmOp;
import dev.unroll.kernel.Kernels;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;

/**
 * Matrix products. Leading axes of the left operand are flattened into rows, so a
 * {@code [batch, time, features]} tensor times a {@code [features, units]} matrix is one GEMM over
 * {@code batch·time} rows (seed §13).
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * {@code a·b} for {@code a: [..., k]} and {@code b: [k, n]}, giving {@code [..., n]}.
     *
     * <pre>
     *   forward   Y = A·B
     *   backward  dA += dY·Bᵀ      dB += Aᵀ·dY
     * </pre>
     */
    public static Variable matmul(Variable a, Variable b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        if (as.length < 1 || bs.length != 2) {
            throw new ShapeException("matmul: expected [..., k] x [k, n], got " + Shape.toString(as) + " x " + Shape.toString(bs));
        }
        int k = as[as.length - 1];
        if (bs[0] != k) {
            throw new ShapeException("matmul: inner dimensions differ: " + Shape.toString(as) + " x " + Shape.toString(bs)
                    + " (" + k + " != " + bs[0] + ")");
        }
        int n = bs[1];
        int m = k == 0 ? a.value().size() : a.value().size() / k;
        int[] outShape = as.clone();
        outShape[outShape.length - 1] = n;
        Tensor av = a.value();
        Tensor bv = b.value();
        Tensor y = Tensor.zeros(outShape);
        Kernels.gemm(GemmOp.NN, m, n, k, av.data(), av.offset(), k, bv.data(), bv.offset(), n, y.data(), 0, n, false);
        return Autograd.record("matmul", y, dy -> {
            if (a.requiresGrad()) {
                Tensor da = a.gradForAccumulation();
                Kernels.gemm(GemmOp.NT, m, k, n, dy.data(), dy.offset(), n, bv.data(), bv.offset(), n,
                        da.data(), da.offset(), k, true);
            }
            if (b.requiresGrad()) {
                Tensor db = b.gradForAccumulation();
                Kernels.gemm(GemmOp.TN, k, n, m, av.data(), av.offset(), k, dy.data(), dy.offset(), n,
                        db.data(), db.offset(), n, true);
            }
        }, a, b);
    }

    /**
     * A fully connected layer's product with PyTorch's weight layout: {@code x·Wᵀ + bias} for
     * {@code x: [..., in]}, {@code weight: [out, in]}, {@code bias: [out]} (or null), giving
     * {@code [..., out]} — one GEMM however many leading axes.
     *
     * <pre>
     *   backward  dX += dY·W      dW += dYᵀ·X      dbias += Σ_rows dY
     * </pre>
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        if (ws.length != 2) {
            throw new ShapeException("linear: weight must be [out, in], got " + Shape.toString(ws));
        }
        int out = ws[0];
        int in = ws[1];
        if (xs.length < 1 || xs[xs.length - 1] != in) {
            throw new ShapeException("linear: input features: expected " + in + ", got shape " + Shape.toString(xs)
                    + " (weight " + Shape.toString(ws) + ")");
        }
        if (bias != null && !bias.value().hasShape(out)) {
            throw new ShapeException("linear: bias: expected shape [" + out + "], got " + Shape.toString(bias.shape()));
        }
        int rows = in == 0 ? x.value().size() : x.value().size() / in;
        int[] outShape = xs.clone();
        outShape[outShape.length - 1] = out;
        Tensor xv = x.value();
        Tensor wv = weight.value();
        Tensor y = Tensor.zeros(outShape);
        Kernels.gemm(GemmOp.NT, rows, out, in, xv.data(), xv.offset(), in, wv.data(), wv.offset(), in, y.data(), 0, out, false);
        if (bias != null) {
            Tensor bv = bias.value();
            Kernels.provider().addRowVector(rows, out, bv.data(), bv.offset(), y.data(), 0, out);
        }
        return Autograd.record("linear", y, dy -> {
            if (x.requiresGrad()) {
                Tensor dx = x.gradForAccumulation();
                Kernels.gemm(GemmOp.NN, rows, in, out, dy.data(), dy.offset(), out, wv.data(), wv.offset(), in,
                        dx.data(), dx.offset(), in, true);
            }
            if (weight.requiresGrad()) {
                Tensor dw = weight.gradForAccumulation();
                Kernels.gemm(GemmOp.TN, out, in, rows, dy.data(), dy.offset(), out, xv.data(), xv.offset(), in,
                        dw.data(), dw.offset(), in, true);
            }
            if (bias != null && bias.requiresGrad()) {
                Tensor db = bias.gradForAccumulation();
                Kernels.provider().sumRows(rows, out, dy.data(), dy.offset(), out, db.data(), db.offset(), true);
            }
        }, x, weight, bias);
    }
}
