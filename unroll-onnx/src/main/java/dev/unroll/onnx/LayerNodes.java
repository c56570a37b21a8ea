package dev.unroll.onnx;

import static dev.unroll.onnx.GraphInterpreter.describe;
import static dev.unroll.onnx.Nodes.fail;

import dev.unroll.kernel.Activation;
import dev.unroll.onnx.Value.Data;
import dev.unroll.onnx.Value.Mask;
import dev.unroll.onnx.Value.Unusable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operators that are Unroll layers other than the recurrent ones (see {@link RecurrentNodes}):
 * {@code MatMul} or {@code Gemm} by a constant weight, then {@code Add} of a constant bias and
 * {@code Tanh}/{@code Relu}/{@code Sigmoid}, is a {@code Dense}; {@code LayerNormalization} over the
 * features is a {@code LayerNormalization}; {@code Mul} by the mask of valid steps after a layer that
 * already outputs zeros there (a recurrent layer's steps, a normalization) changes nothing.
 */
final class LayerNodes {
    private LayerNodes() {
    }

    /** Data a layer can read: batch (and time) axes, then features, nothing else. */
    private static Data layerInput(OnnxNode node, Data d) throws OnnxException {
        for (int i = 0; i < d.axes().size(); i++) {
            Axis.Kind k = d.axes().get(i).kind();
            boolean last = i == d.axes().size() - 1;
            if (last != (k == Axis.Kind.FEATURES) || k == Axis.Kind.GROUP) {
                throw fail(node, "reads data with axes " + Axis.describe(d.axes()) + "; a layer reads [batch, (time,) features]");
            }
        }
        return d;
    }

    private static long features(Data d) {
        return d.axes().get(d.axes().size() - 1).size();
    }

    private static Data withLayer(Data d, LayerSpec layer, List<Axis> axes) {
        List<LayerSpec> chain = new ArrayList<>(d.chain());
        chain.add(layer);
        return new Data(axes, List.copyOf(chain));
    }

    private static Data withLastLayer(Data d, LayerSpec layer) {
        List<LayerSpec> chain = new ArrayList<>(d.chain());
        chain.set(chain.size() - 1, layer);
        return new Data(d.axes(), List.copyOf(chain));
    }

    private static List<Axis> withFeatures(List<Axis> axes, long features) {
        List<Axis> out = new ArrayList<>(axes);
        out.set(out.size() - 1, Axis.features(features));
        return List.copyOf(out);
    }

    static Value matMul(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Data x = layerInput(node, g.data(node, 0));
        OnnxTensor w = g.constant(node, 1);
        long in = features(x);
        if (w.dims().length != 2 || w.dims()[0] != in || !w.isFloating()) {
            throw fail(node, "multiplies data of " + in + " features by " + w.type() + " " + Arrays.toString(w.dims())
                    + "; a dense layer's weight should be float [" + in + ", outputs]");
        }
        int out = (int) w.dims()[1];
        return withLayer(x, dense((int) in, out, w.floats(), true, new float[out]), withFeatures(x.axes(), out));
    }

    /** A dense layer from a {@code [in, out]} weight ({@code transposed}) or a {@code [out, in]} one. */
    private static LayerSpec.DenseSpec dense(int in, int out, float[] w, boolean transposed, float[] bias) {
        float[] weight = w;
        if (transposed) {
            weight = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    weight[o * in + i] = w[i * out + o];
                }
            }
        }
        return new LayerSpec.DenseSpec(in, out, weight, bias, Activation.IDENTITY);
    }

    static Value gemm(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Data x = layerInput(node, g.data(node, 0));
        if (x.axes().size() != 2 || Nodes.intAttribute(node, "transA", 0) != 0) {
            throw fail(node, "Gemm multiplies [batch, features] data (transA = 0), got " + Axis.describe(x.axes()));
        }
        boolean transB = Nodes.intAttribute(node, "transB", 0) != 0;
        float alpha = Nodes.floatAttribute(node, "alpha", 1f);
        float beta = Nodes.floatAttribute(node, "beta", 1f);
        OnnxTensor b = g.constant(node, 1);
        int in = (int) features(x);
        if (b.dims().length != 2 || b.dims()[transB ? 1 : 0] != in || !b.isFloating()) {
            throw fail(node, "its weight B " + Arrays.toString(b.dims()) + (transB ? " (transposed)" : "") + " does not take " + in
                    + " features");
        }
        int out = (int) b.dims()[transB ? 0 : 1];
        float[] w = b.floats();
        for (int k = 0; k < w.length; k++) {
            w[k] *= alpha;
        }
        float[] bias = new float[out];
        if (g.optionalInput(node, 2) != null) {
            float[] c = biasVector(node, g, 2, out);
            for (int k = 0; k < out; k++) {
                bias[k] = beta * c[k];
            }
        }
        return withLayer(x, dense(in, out, w, !transB, bias), withFeatures(x.axes(), out));
    }

    /** A constant that adds one value per output feature: {@code [out]}, {@code [1, out]}, ... */
    private static float[] biasVector(OnnxNode node, GraphInterpreter g, int index, int out) throws OnnxException {
        OnnxTensor c = g.constant(node, index);
        long[] d = c.dims();
        boolean vector = c.isFloating() && c.elementCount() == out && (d.length == 0 ? out == 1 : d[d.length - 1] == out);
        if (!vector) {
            throw fail(node, "adds " + c.type() + " " + Arrays.toString(d) + " to data of " + out + " features; a bias is float [" + out + "]");
        }
        return c.floats();
    }

    static Value add(OnnxNode node, GraphInterpreter g) throws OnnxException {
        int dataIndex = g.input(node, 0) instanceof Data ? 0 : 1;
        Data x = g.data(node, dataIndex);
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        if (!(last instanceof LayerSpec.DenseSpec dense) || dense.activation() != Activation.IDENTITY) {
            throw fail(node, "adds to data that no dense layer (MatMul) has just computed; Unroll adds constants only as a dense"
                    + " layer's bias");
        }
        return withLastLayer(x, dense.plusBias(biasVector(node, g, 1 - dataIndex, dense.out())));
    }

    static Value activation(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Data x = g.data(node, 0);
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        if (!(last instanceof LayerSpec.DenseSpec dense) || dense.activation() != Activation.IDENTITY) {
            throw fail(node, "applies " + node.opType() + " to data that no dense layer has just computed; Unroll has activations"
                    + " inside dense and recurrent layers only");
        }
        return withLastLayer(x, dense.withActivation(RnnActivations.ofOperator(node.opType())));
    }

    static List<Value> layerNormalization(OnnxNode node, GraphInterpreter g) throws OnnxException {
        Data x = layerInput(node, g.data(node, 0));
        if (Axis.resolve(Nodes.intAttribute(node, "axis", -1), x.axes().size(), node.describe()) != x.axes().size() - 1) {
            throw fail(node, "normalizes from axis " + Nodes.intAttribute(node, "axis", -1) + "; Unroll normalizes the features (the last axis)");
        }
        int f = (int) features(x);
        float eps = Nodes.floatAttribute(node, "epsilon", 1e-5f);
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw fail(node, "epsilon must be positive, got " + eps);
        }
        float[] scale = g.weights(node, 1, "scale", f);
        float[] bias = g.optionalInput(node, 2) == null ? new float[f] : g.weights(node, 2, "bias", f);
        Value y = withLayer(x, new LayerSpec.NormSpec(f, eps, scale, bias), x.axes());
        return List.of(y, new Unusable("the mean output of " + node.describe()), new Unusable("the inverse deviation output of "
                + node.describe()));
    }

    /** {@code Mul(data, mask)}: zeros past the lengths, which Unroll's layer has already (or the graph is not Unroll's). */
    static Value mask(OnnxNode node, GraphInterpreter g) throws OnnxException {
        int dataIndex = g.input(node, 0) instanceof Data ? 0 : 1;
        Data x = g.data(node, dataIndex);
        Value m = g.input(node, 1 - dataIndex);
        if (!(m instanceof Mask mask)) {
            throw fail(node, "multiplies the data by " + describe(m) + "; Unroll multiplies only by the mask of valid steps");
        }
        LayerSpec last = x.chain().isEmpty() ? null : x.chain().get(x.chain().size() - 1);
        boolean aligned = x.axes().equals(Axis.broadcast(x.axes(), mask.axes()));
        if (!aligned || last == null || !last.zeroesPastLengths()) {
            throw fail(node, "masks steps past the lengths after a layer whose outputs Unroll does not mask (or with axes "
                    + Axis.describe(mask.axes()) + " that do not line up with " + Axis.describe(x.axes()) + ")");
        }
        return x;
    }
}
