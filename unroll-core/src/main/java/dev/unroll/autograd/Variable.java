package dev.unroll.autograd;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * A value in a computation that automatic differentiation can see through: a {@link Tensor}, the
 * gradient of a loss with respect to it, and — when an operation produced it — the operation's
 * backward rule.
 *
 * <p>Graphs are built as the code runs (define-by-run, as in PyTorch): every operation on
 * variables that require gradients records how to propagate gradients back to its inputs.
 * {@link #backward()} on a scalar result walks that record in reverse and <em>adds</em> each
 * contribution into the inputs' {@link #grad()}, so a weight used at several time steps receives
 * the sum of its gradients over the steps (seed §9).
 *
 * <pre>{@code
 * Variable wx = Variable.parameter("Wx", Tensor.randn(rng, 3, 5));
 * Variable b  = Variable.parameter("b", Tensor.zeros(1, 5));
 * Variable y0 = Variable.constant(x0).matmul(wx).add(b).tanh();
 * y0.sum().backward();             // wx.grad(), b.grad() now hold dL/dWx, dL/db
 * }</pre>
 *
 * <p>Inside {@link Autograd#noGrad()} nothing is recorded (inference).
 */
public final class Variable {
    private final Tensor value;
    private final String name;
    private final boolean requiresGrad;
    private Tensor grad;
    /** The operation that produced this variable, or null for leaves and results of no-grad code. */
    Node creator;
    private boolean retainGrad;

    Variable(Tensor value, String name, boolean requiresGrad, Node creator) {
        this.value = value;
        this.name = name;
        this.requiresGrad = requiresGrad;
        this.creator = creator;
    }

    /** A leaf that does not require gradients: data, targets, constants. */
    public static Variable constant(Tensor value) {
        return new Variable(value, null, false, null);
    }

    /** A leaf that requires gradients (a trainable parameter); its gradient starts empty. */
    public static Variable parameter(String name, Tensor value) {
        return new Variable(value, name, true, null);
    }

    /**
     * A parameter whose gradient lives in the given tensor (typically a view into a model's flat
     * gradient buffer, so optimizers and clipping see every gradient as one array).
     */
    public static Variable parameter(String name, Tensor value, Tensor gradStorage) {
        Shape.requireEqual("gradient storage of " + name, value.shape(), gradStorage.shape());
        Variable v = new Variable(value, name, true, null);
        v.grad = gradStorage;
        return v;
    }

    // ------------------------------------------------------------------ accessors

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null if none has flowed here (or it was released after use). */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for variables no operation produced (parameters, constants). */
    public boolean isLeaf() {
        return creator == null;
    }

    /** The parameter's name, or the producing operation's name, or "constant". */
    public String name() {
        if (name != null) {
            return name;
        }
        return creator != null ? creator.op : "constant";
    }

    public int[] shape() {
        return value.shape();
    }

    public int dim(int axis) {
        return value.dim(axis);
    }

    /**
     * Keeps this intermediate variable's gradient after {@link #backward()} (by default only
     * leaves keep theirs; intermediate ones are released as soon as they have been propagated).
     */
    public Variable retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad || creator == null;
    }

    /** Sets the gradient to zeros (keeping its storage). */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    /**
     * The gradient tensor that backward rules add into, created as zeros on first use. For
     * implementers of operations (see {@link Autograd#record}); call it only on variables that
     * {@link #requiresGrad()}.
     */
    public Tensor gradForAccumulation() {
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        }
        return grad;
    }

    void releaseGrad() {
        if (!retainsGrad()) {
            grad = null;
        }
    }

    /** The same value, cut off from the graph (gradients stop here). */
    public Variable detach() {
        return constant(value);
    }

    // ------------------------------------------------------------------ backward

    /** Back-propagates from this scalar (a loss): d(this)/d(this) = 1. */
    public void backward() {
        if (value.size() != 1) {
            throw new ShapeException("backward() needs a scalar (one element), got shape " + Shape.toString(value.shape())
                    + "; pass the output gradient with backward(Tensor)");
        }
        backward(Tensor.ones(value.shape()));
    }

    /** Back-propagates from this variable, given the gradient of the loss with respect to it. */
    public void backward(Tensor outputGradient) {
        Autograd.backward(this, outputGradient);
    }

    // ------------------------------------------------------------------ fluent operations

    /** Matrix product; see {@link MatMul#matmul}. */
    public Variable matmul(Variable other) {
        return MatMul.matmul(this, other);
    }

    /** Element-wise sum with broadcasting; see {@link Arithmetic#add}. */
    public Variable add(Variable other) {
        return Arithmetic.add(this, other);
    }

    /** Element-wise difference with broadcasting. */
    public Variable sub(Variable other) {
        return Arithmetic.sub(this, other);
    }

    /** Element-wise product with broadcasting. */
    public Variable mul(Variable other) {
        return Arithmetic.mul(this, other);
    }

    /** {@code this ⊙ this}, with a one-pass gradient (see {@link Arithmetic#square}). */
    public Variable square() {
        return Arithmetic.square(this);
    }

    /** Multiplication by a constant. */
    public Variable scale(float factor) {
        return Arithmetic.scale(this, factor);
    }

    public Variable tanh() {
        return Activations.tanh(this);
    }

    public Variable sigmoid() {
        return Activations.sigmoid(this);
    }

    public Variable relu() {
        return Activations.relu(this);
    }

    /** A view with another shape (one dimension may be −1). */
    public Variable reshape(int... shape) {
        return ShapeOps.reshape(this, shape);
    }

    /** Reorders axes; see {@link Tensor#permute}. */
    public Variable permute(int... axes) {
        return ShapeOps.permute(this, axes);
    }

    /** Indices {@code [start, end)} along an axis. */
    public Variable slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end);
    }

    /** Splits along an axis into its slices. */
    public List<Variable> unstack(int axis) {
        return ShapeOps.unstack(this, axis);
    }

    /** Sum of all elements (a scalar). */
    public Variable sum() {
        return Reductions.sum(this);
    }

    /** Sum along one axis, which disappears from the shape. */
    public Variable sum(int axis) {
        return Reductions.sum(this, axis);
    }

    /** Mean of all elements (a scalar). */
    public Variable mean() {
        return Reductions.mean(this);
    }

    /** Mean along one axis, which disappears from the shape. */
    public Variable mean(int axis) {
        return Reductions.mean(this, axis);
    }

    @Override
    public String toString() {
        return "Variable(" + name() + ", shape " + Shape.toString(value.shape()) + (requiresGrad ? ", requires grad" : "") + ")";
    }
}
