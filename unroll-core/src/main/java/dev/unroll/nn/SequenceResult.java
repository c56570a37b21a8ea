package dev.unroll.nn;

import dev.unroll.autograd.Variable;

/**
 * What a recurrent layer returns for a batch of sequences (TensorFlow's {@code dynamic_rnn} pair).
 *
 * @param outputs    {@code [batch, time, units]}: the output at every step, zero past each
 *                   instance's length
 * @param finalState the state after each instance's last valid step
 */
public record SequenceResult(Variable outputs, State finalState) {
}
