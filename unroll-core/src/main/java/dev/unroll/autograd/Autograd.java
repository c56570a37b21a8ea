package dev.unroll.autograd;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tape: recording operations, walking them backwards, and the no-grad mode.
 *
 * <p>Operation implementers (here and in {@code dev.unroll.nn}) compute the forward result, then
 * call {@link #record} with a backward rule. The rule receives the gradient of the loss with
 * respect to each output and <em>adds</em> its contribution into each input's
 * {@link Variable#gradForAccumulation()} — only for inputs that {@link Variable#requiresGrad()}.
 */
public final class Autograd {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {
    }

    /** Backward rule of a one-output operation. */
    @FunctionalInterface
    public interface Rule {
        void backward(Tensor gradOutput);
    }

    /**
     * Backward rule of an operation with several outputs. The gradient of an output that nothing
     * used is null (zero), so the rule can skip the work it would feed.
     */
    @FunctionalInterface
    public interface MultiRule {
        void backward(Tensor[] gradOutputs);
    }

    /** Scope in which no operation is recorded: {@code try (var scope = Autograd.noGrad()) {...}}. */
    public static final class NoGradScope implements AutoCloseable {
        private boolean closed;

        private NoGradScope() {
            NO_GRAD_DEPTH.get()[0]++;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                NO_GRAD_DEPTH.get()[0]--;
            }
        }
    }

    /** Enters no-grad mode on this thread until the returned scope is closed (scopes nest). */
    public static NoGradScope noGrad() {
        return new NoGradScope();
    }

    /** True when operations on this thread are being recorded. */
    public static boolean isRecording() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** True when an operation on these inputs must be recorded. */
    public static boolean needsGrad(Variable... inputs) {
        if (!isRecording()) {
            return false;
        }
        for (Variable v : inputs) {
            if (v != null && v.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wraps an operation's result; records {@code rule} if any input requires gradients and
     * recording is on. Null inputs (optional operands) are allowed.
     */
    public static Variable record(String op, Tensor output, Rule rule, Variable... inputs) {
        if (!needsGrad(inputs)) {
            return Variable.constant(output);
        }
        Node node = new Node(op, inputs, grads -> rule.backward(grads[0] != null ? grads[0] : Tensor.zeros(output.shape())));
        Variable out = new Variable(output, null, true, node);
        node.outputs = new Variable[] {out};
        return out;
    }

    /** As {@link #record} for an operation with several outputs. */
    public static List<Variable> recordMulti(String op, Tensor[] outputs, MultiRule rule, Variable... inputs) {
        List<Variable> result = new ArrayList<>(outputs.length);
        if (!needsGrad(inputs)) {
            for (Tensor t : outputs) {
                result.add(Variable.constant(t));
            }
            return result;
        }
        Node node = new Node(op, inputs, rule::backward);
        node.outputs = new Variable[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            node.outputs[i] = new Variable(outputs[i], null, true, node);
            result.add(node.outputs[i]);
        }
        return result;
    }

    static void backward(Variable root, Tensor seed) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward from " + root + ": it does not depend on any parameter that requires "
                    + "gradients (or it was computed under Autograd.noGrad())");
        }
        Shape.requireEqual("backward: output gradient of " + root.name(), root.shape(), seed.shape());
        addInto(root.gradForAccumulation(), seed);
        if (root.creator == null) {
            return;
        }
        List<Node> order = topologicalOrder(root.creator);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            if (node.rule == null) {
                throw new IllegalStateException("backward through '" + node.op + "' a second time: a graph is consumed by "
                        + "one backward pass; run the forward pass again");
            }
            Tensor[] grads = new Tensor[node.outputs.length];
            boolean any = false;
            for (int j = 0; j < grads.length; j++) {
                grads[j] = node.outputs[j].grad();
                any |= grads[j] != null;
            }
            if (any) {
                node.rule.backward(grads);
            }
            node.rule = null;
            for (Variable out : node.outputs) {
                out.releaseGrad();
            }
        }
    }

    /** Nodes reachable from {@code root}, each after every node that produced one of its inputs. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> order = new ArrayList<>();
        Map<Node, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextInput = new ArrayDeque<>();
        stack.push(root);
        nextInput.push(0);
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Node node = stack.peek();
            int i = nextInput.pop();
            if (i < node.inputs.length) {
                nextInput.push(i + 1);
                Variable in = node.inputs[i];
                Node producer = in == null ? null : in.creator;
                if (producer != null && visited.put(producer, Boolean.TRUE) == null) {
                    stack.push(producer);
                    nextInput.push(0);
                }
            } else {
                stack.pop();
                order.add(node);
            }
        }
        return order;
    }

    /** {@code target += source}, shapes equal. */
    static void addInto(Tensor target, Tensor source) {
        if (!Arrays.equals(target.shape(), source.shape())) {
            Shape.requireEqual("gradient accumulation", target.shape(), source.shape());
        }
        dev.unroll.kernel.Kernels.provider().axpy(target.size(), 1f, source.data(), source.offset(), target.data(), target.offset());
    }
}
