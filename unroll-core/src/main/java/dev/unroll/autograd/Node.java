package dev.unroll.autograd;

import dev.unroll.tensor.Tensor;

/**
 * One recorded operation: its inputs, its outputs and how to propagate gradients from the outputs
 * to the inputs. Operations with several outputs (unstack, a recurrent layer returning outputs and
 * a final state) record one node whose rule receives all output gradients at once.
 */
final class Node {
    /** Backward rule: adds the contributions of {@code gradOutputs} into the inputs' gradients. */
    @FunctionalInterface
    interface Rule {
        void backward(Tensor[] gradOutputs);
    }

    final String op;
    final Variable[] inputs;
    Variable[] outputs;
    /** Null once run: the saved tensors are released and the graph cannot be walked twice. */
    Rule rule;

    Node(String op, Variable[] inputs, Rule rule) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
    }
}
