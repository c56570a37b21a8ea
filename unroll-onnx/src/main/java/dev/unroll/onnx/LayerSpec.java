package dev.unroll.onnx;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.RecurrentCell;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer the importer has recognised in the graph, with its weights in Unroll's (PyTorch's)
 * layout, before it becomes an Unroll {@link Layer}. Specs are immutable: the importer follows
 * several values through the graph at once (a node's outputs and its final states), each with its
 * own list of the layers that computed it.
 */
sealed interface LayerSpec {

    /** The Unroll layer, its parameters set to the imported weights. */
    Layer build();

    /** True if the layer's outputs are zero past each sequence's length (so masking them changes nothing). */
    boolean zeroesPastLengths();

    /**
     * One recurrent cell's weights, PyTorch's layout and gate order: {@code weight_ih [G·H, I]},
     * {@code weight_hh [G·H, H]}, {@code bias_ih [G·H]}, {@code bias_hh [G·H]}.
     */
    record CellWeights(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
    }

    /**
     * Stacked recurrent layers, one ONNX node each.
     *
     * @param cells by {@code layer · directions + direction}
     */
    record RecurrentSpec(CellType type, Activation activation, int inputSize, int hidden, int directions, List<CellWeights> cells,
                         boolean returnSequences) implements LayerSpec {

        int layers() {
            return cells.size() / directions;
        }

        /** True if a node of these settings can be the next layer of this stack. */
        boolean stacksWith(CellType otherType, Activation otherActivation, int otherHidden, int otherDirections) {
            return returnSequences && type == otherType && activation == otherActivation && hidden == otherHidden
                    && directions == otherDirections;
        }

        /** This stack with one more layer on top. */
        RecurrentSpec plusLayer(List<CellWeights> layer) {
            List<CellWeights> all = new ArrayList<>(cells);
            all.addAll(layer);
            return new RecurrentSpec(type, activation, inputSize, hidden, directions, List.copyOf(all), true);
        }

        /** This stack as a layer that outputs its last layer's final state. */
        RecurrentSpec endingInFinalState() {
            return new RecurrentSpec(type, activation, inputSize, hidden, directions, cells, false);
        }

        @Override
        public Layer build() {
            Recurrent r = Recurrent.builder(type, inputSize, hidden).layers(layers()).bidirectional(directions == 2)
                    .activation(activation).returnSequences(returnSequences).rng(new Rng(0)).build();
            for (int layer = 0; layer < layers(); layer++) {
                int in = layer == 0 ? inputSize : directions * hidden;
                int rows = type.gates * hidden;
                for (int dir = 0; dir < directions; dir++) {
                    CellWeights w = cells.get(layer * directions + dir);
                    RecurrentCell cell = r.cell(layer, dir);
                    cell.weightIh().load(Tensor.of(w.weightIh(), rows, in));
                    cell.weightHh().load(Tensor.of(w.weightHh(), rows, hidden));
                    cell.biasIh().load(Tensor.of(w.biasIh(), rows));
                    cell.biasHh().load(Tensor.of(w.biasHh(), rows));
                }
            }
            return r;
        }

        @Override
        public boolean zeroesPastLengths() {
            return returnSequences;
        }
    }

    /** A dense layer: {@code weight [out, in]}, {@code bias [out]}, an activation. */
    record DenseSpec(int in, int out, float[] weight, float[] bias, Activation activation) implements LayerSpec {

        /** The same layer with {@code more} added to its bias. */
        DenseSpec plusBias(float[] more) {
            float[] b = bias.clone();
            for (int i = 0; i < out; i++) {
                b[i] += more[i];
            }
            return new DenseSpec(in, out, weight, b, activation);
        }

        DenseSpec withActivation(Activation a) {
            return new DenseSpec(in, out, weight, bias, a);
        }

        @Override
        public Layer build() {
            Dense d = new Dense(in, out, activation, new Rng(0));
            d.weight().load(Tensor.of(weight, out, in));
            d.bias().load(Tensor.of(bias, out));
            return d;
        }

        @Override
        public boolean zeroesPastLengths() {
            return false;
        }
    }

    /** Layer normalization over the features: gain, shift and ε. */
    record NormSpec(int features, float eps, float[] scale, float[] bias) implements LayerSpec {
        @Override
        public Layer build() {
            LayerNormalization n = new LayerNormalization(features, eps);
            n.weight().load(Tensor.of(scale, features));
            n.bias().load(Tensor.of(bias, features));
            return n;
        }

        @Override
        public boolean zeroesPastLengths() {
            return true;
        }
    }
}
