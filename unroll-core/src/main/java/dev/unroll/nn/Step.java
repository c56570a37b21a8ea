package dev.unroll.nn;

import dev.unroll.autograd.Variable;

/**
 * What a cell returns for one time step: its output {@code y(t)} and its new state. For the cells
 * here the output is the new {@code h}; they are kept apart because they differ in general
 * (an LSTM's state also holds {@code c}; a projection wrapper changes the output only).
 */
public record Step(Variable output, State state) {
}
