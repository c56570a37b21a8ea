package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.unroll.io.Checkpoint;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unroll's own exports import back exactly: the same configuration, the same bits, the same outputs. */
class OnnxImportTest {
    private static final List<OnnxExport.Options> ALL_OPTIONS = List.of(OnnxExport.Options.PLAIN, new OnnxExport.Options(true, false),
            new OnnxExport.Options(false, true), new OnnxExport.Options(true, true));

    /** The matrix of the export test, plus models of every layer kind. */
    static List<Layer> models() {
        List<Layer> models = new ArrayList<>();
        long seed = 0;
        for (String cell : new String[] {"rnn tanh", "rnn relu", "lstm", "gru"}) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean bidirectional : new boolean[] {false, true}) {
                    for (boolean sequences : new boolean[] {true, false}) {
                        models.add(OnnxExportTest.model(cell, layers, bidirectional, sequences, seed++));
                    }
                }
            }
        }
        Rng rng = new Rng(5);
        models.add(new Sequential().add("encoder", Recurrent.builder(CellType.LSTM, 3, 4).dropoutBetweenLayers(0.25f).layers(2).rng(rng).build())
                .add("norm", new LayerNormalization(4, 1e-3f)).add("drop", new DropoutLayer(0.5f))
                .add("decoder", Recurrent.builder(CellType.GRU, 4, 4).bidirectional(true).stateDropout(0.1f).rng(rng).build())
                .add("hidden", new Dense(8, 8, Activation.TANH, rng))
                .add("rnn", Recurrent.builder(CellType.RNN, 8, 3).activation(Activation.IDENTITY).returnSequences(false).rng(rng).build())
                .add("head", new Dense(3, 2, Activation.SIGMOID, rng)));
        models.add(Sequential.of(Recurrent.builder(CellType.GRU, 3, 4).rng(rng).build(), Recurrent.builder(CellType.GRU, 4, 4).rng(rng).build()));
        models.add(Recurrent.builder(CellType.LSTM, 3, 2).layers(3).bidirectional(true).returnSequences(false).rng(rng).build());
        models.add(new Dense(3, 4, Activation.RELU, rng));
        return models;
    }

    @Test
    void exportsRoundTripToTheSameConfigurationAndBits() throws Exception {
        for (Layer model : models()) {
            for (OnnxExport.Options options : ALL_OPTIONS) {
                byte[] file = OnnxExport.toModel(model, options, Map.of("app.window", "20")).toBytes();
                OnnxImport.ImportedModel imported = OnnxImport.read(file);
                Layer back = imported.model();
                assertEquals(Checkpoint.describe(model), Checkpoint.describe(back), model + " " + options);
                assertSameBits(model, back);
                assertEquals("20", imported.metadata().get("app.window"));
                assertFalse(imported.timeFirstInput());
            }
        }
    }

    @Test
    void withoutTheDescriptionTheGraphAloneGivesTheSameNumbers() throws Exception {
        for (Layer model : models()) {
            OnnxModel onnx = OnnxExport.toModel(model, new OnnxExport.Options(true, true), Map.of());
            OnnxModel bare = new OnnxModel(onnx.irVersion(), onnx.opsets(), "", "", onnx.graph(), Map.of());
            Layer back = OnnxImport.fromModel(bare).model();
            assertInstanceOf(Sequential.class, back);
            Sequential original = model instanceof Sequential s ? s : Sequential.of(model);
            Rng rng = new Rng(1);
            int[] lengths = {5, 1, 3};
            Tensor x = Tensor.randn(rng, 3, 5, 3);
            assertArrayEquals(original.predict(x, lengths).toArray(), ((Sequential) back).predict(x, lengths).toArray(), 0f, model.toString());
        }
    }

    /** Every parameter, in order, has the same name, shape and float bits. */
    static void assertSameBits(Layer expected, Layer actual) {
        List<Map.Entry<String, Parameter>> a = new ArrayList<>(expected.namedParameters().entrySet());
        List<Map.Entry<String, Parameter>> b = new ArrayList<>(actual.namedParameters().entrySet());
        assertEquals(a.size(), b.size(), "parameters of " + expected);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getKey(), b.get(i).getKey());
            float[] x = a.get(i).getValue().value().toArray();
            float[] y = b.get(i).getValue().value().toArray();
            for (int k = 0; k < x.length; k++) {
                assertEquals(Float.floatToRawIntBits(x[k]), Float.floatToRawIntBits(y[k]), a.get(i).getKey() + "[" + k + "]");
            }
        }
    }
}
