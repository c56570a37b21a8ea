package dev.unroll.onnx;

import java.util.List;

/**
 * What the importer knows about one value of the graph. The importer runs the graph abstractly:
 * instead of numbers, each value is a description — a constant, a shape computed from the input's
 * dimensions, zeros, or the model's data with the meaning of each axis and the layers that computed
 * it — and each operator maps descriptions to a description, or is an error when Unroll has no
 * equivalent. What reaches the graph's output is the model.
 */
sealed interface Value {

    /** A tensor whose elements the file holds (an initializer or a {@code Constant} node). */
    record Constant(OnnxTensor tensor) implements Value {
    }

    /**
     * One integer of a shape computation: a number, or the batch or time size of the input.
     *
     * @param symbol {@link Axis.Kind#BATCH} or {@link Axis.Kind#TIME}, or null for a number
     * @param value  the number; for a symbol, the size the graph fixes or -1
     */
    record Int(Axis.Kind symbol, long value) {
        static Int of(long value) {
            return new Int(null, value);
        }

        /** The integer that is the size of {@code axis}. */
        static Int sizeOf(Axis axis) {
            return axis.kind() == Axis.Kind.BATCH || axis.kind() == Axis.Kind.TIME ? new Int(axis.kind(), axis.size()) : of(axis.size());
        }

        /** True if this integer is the size of {@code axis}. */
        boolean isSizeOf(Axis axis) {
            if (symbol != null) {
                return symbol == axis.kind();
            }
            return value >= 0 && value == axis.size();
        }

        @Override
        public String toString() {
            return symbol == null ? Long.toString(value) : symbol.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Integers computed from shapes ({@code Shape}, {@code Gather}, {@code Concat}, ...): a vector, or a scalar. */
    record Ints(List<Int> values, boolean scalar) implements Value {
    }

    /** A tensor of zeros of this shape ({@code ConstantOfShape}, {@code Expand}): PyTorch's default initial states. */
    record Zeros(List<Int> shape) implements Value {
    }

    /**
     * The model's data.
     *
     * @param axes  what each axis means
     * @param chain the layers that computed it from the input, in order
     */
    record Data(List<Axis> axes, List<LayerSpec> chain) implements Value {
    }

    /**
     * The final states of one recurrent node, each direction the state that Unroll's layer would
     * output if this node were its last layer.
     *
     * @param node       the node's name, for messages
     * @param finalChain the layers up to this node, the last one outputting its final state
     */
    record NodeStates(String node, List<LayerSpec> finalChain, int directions, int hidden) {
    }

    /**
     * Final hidden states ({@code Y_h}) of recurrent nodes, maybe stacked ({@code Concat} of several
     * nodes', as PyTorch's {@code h_n}) or picked ({@code h_n[-1]}). With a {@link Axis.Kind#GROUP}
     * axis, entry {@code i} is its index {@code i}; without one, the entries are concatenated along
     * the features — which is Unroll's final-state output when they are exactly one node's
     * directions in order.
     */
    record States(List<Axis> axes, List<StateRef> entries) implements Value {
    }

    /** One direction of one node's final states. */
    record StateRef(NodeStates node, int direction) {
    }

    /** The sequences' lengths (a graph input read as {@code sequence_lens}), with unit axes Unsqueeze added. */
    record Lengths(List<Axis> axes) implements Value {
    }

    /** {@code Range(0, time)}: each step's index along a time axis (with unit axes). */
    record StepIndex(List<Axis> axes) implements Value {
    }

    /** 1 at the steps before each sequence's length, 0 after ({@code StepIndex < Lengths}), in these axes. */
    record Mask(List<Axis> axes) implements Value {
    }

    /** A graph input that feeds a recurrent node's initial state; the imported model starts from zeros. */
    record InitialState(String input) implements Value {
    }

    /** A value Unroll has no use for (e.g. an LSTM's cell state): an error if anything on the model's path reads it. */
    record Unusable(String why) implements Value {
    }
}
