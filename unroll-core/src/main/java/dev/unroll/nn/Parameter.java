package dev.unroll.nn;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/**
 * A named trainable tensor of a layer, e.g. {@code weight_ih_l0 [4·H, I]}, with its gradient.
 *
 * <p>A parameter starts with its own storage; a model then {@linkplain #bindTo moves} all its
 * parameters into one flat value array and one flat gradient array, so optimizers, gradient
 * clipping and checkpoints see one buffer. Layers therefore ask for {@link #variable()} at every
 * forward pass rather than caching it.
 */
public final class Parameter {
    private final String name;
    private Variable variable;

    public Parameter(String name, Tensor initial) {
        this.name = name;
        this.variable = Variable.parameter(name, initial, Tensor.zeros(initial.shape()));
    }

    /** The local name (PyTorch's), e.g. {@code weight_hh_l0}. */
    public String name() {
        return name;
    }

    /** The variable to use in a forward pass. */
    public Variable variable() {
        return variable;
    }

    public Tensor value() {
        return variable.value();
    }

    public Tensor grad() {
        return variable.grad();
    }

    public int[] shape() {
        return variable.value().shape();
    }

    public int size() {
        return variable.value().size();
    }

    /**
     * Moves this parameter's value into {@code values[offset ..]} and its gradient into
     * {@code grads[offset ..]} (copying both), and uses those views from now on.
     */
    public void bindTo(float[] values, float[] grads, int offset) {
        int[] shape = shape();
        Tensor v = Tensor.wrap(values, offset, shape).copyFrom(value());
        Tensor g = Tensor.wrap(grads, offset, shape).copyFrom(grad());
        variable = Variable.parameter(name, v, g);
    }

    /** Copies new values in (e.g. from a checkpoint); the shape must match. */
    public void load(Tensor source) {
        Shape.requireEqual("parameter " + name, shape(), source.shape());
        value().copyFrom(source);
    }

    @Override
    public String toString() {
        return name + " " + Shape.toString(shape());
    }
}
