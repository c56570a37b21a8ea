package dev.unroll.autograd;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations that move elements without computing: reshape, permute, slice, stack, unstack and
 * concat (seed §6: packing per-step tensors into one {@code [batch, steps, inputs]} tensor and
 * back). Each backward rule moves the gradient back the inverse way.
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    /** A view with another shape; backward reshapes the gradient back. */
    public static Variable reshape(Variable x, int... shape) {
        Tensor y = x.value().reshape(shape);
        return Autograd.record("reshape", y, dy -> Autograd.addInto(x.gradForAccumulation(), dy.reshape(x.shape())), x);
    }

    /** Reorders axes (a copy); backward applies the inverse permutation. */
    public static Variable permute(Variable x, int... axes) {
        Tensor y = x.value().permute(axes);
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inverse[Shape.axis(axes[i], axes.length)] = i;
        }
        return Autograd.record("permute", y, dy -> Autograd.addInto(x.gradForAccumulation(), dy.permute(inverse)), x);
    }

    /** Indices {@code [start, end)} along an axis; backward adds the gradient into that window. */
    public static Variable slice(Variable x, int axis, int start, int end) {
        Tensor y = x.value().slice(axis, start, end);
        int a = Shape.axis(axis, x.shape().length);
        return Autograd.record("slice", y, dy -> {
            Tensor dx = x.gradForAccumulation();
            int[] s = x.shape();
            int outer = Shape.outer(s, a);
            int inner = Shape.inner(s, a);
            int len = (end - start) * inner;
            for (int o = 0; o < outer; o++) {
                int to = dx.offset() + (o * s[a] + start) * inner;
                dev.unroll.kernel.Kernels.provider().axpy(len, 1f, dy.data(), dy.offset() + o * len, dx.data(), to);
            }
        }, x);
    }

    /** Joins variables along an existing axis; backward hands each its slice of the gradient. */
    public static Variable concat(int axis, List<Variable> parts) {
        List<Tensor> values = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            values.add(p.value());
        }
        Tensor y = Tensor.concat(axis, values);
        int a = Shape.axis(axis, y.rank());
        return Autograd.record("concat", y, dy -> {
            int start = 0;
            for (Variable p : parts) {
                int len = p.dim(a);
                if (p.requiresGrad()) {
                    Autograd.addInto(p.gradForAccumulation(), dy.slice(a, start, start + len));
                }
                start += len;
            }
        }, parts.toArray(new Variable[0]));
    }

    /** Stacks equally shaped variables along a new axis; backward unstacks the gradient. */
    public static Variable stack(int axis, List<Variable> parts) {
        List<Tensor> values = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            values.add(p.value());
        }
        Tensor y = Tensor.stack(axis, values);
        int a = Shape.axis(axis, y.rank());
        return Autograd.record("stack", y, dy -> {
            List<Tensor> grads = dy.unstack(a);
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).requiresGrad()) {
                    Autograd.addInto(parts.get(i).gradForAccumulation(), grads.get(i));
                }
            }
        }, parts.toArray(new Variable[0]));
    }

    /** Splits along an axis into its slices (seed §6's {@code unstack}); backward stacks the gradients. */
    public static List<Variable> unstack(Variable x, int axis) {
        List<Tensor> parts = x.value().unstack(axis);
        int a = Shape.axis(axis, x.shape().length);
        return Autograd.recordMulti("unstack", parts.toArray(new Tensor[0]), grads -> {
            List<Tensor> filled = new java.util.ArrayList<>(grads.length);
            for (int i = 0; i < grads.length; i++) {
                filled.add(grads[i] != null ? grads[i] : Tensor.zeros(parts.get(i).shape()));
            }
            Autograd.addInto(x.gradForAccumulation(), Tensor.stack(a, filled));
        }, x);
    }
}
