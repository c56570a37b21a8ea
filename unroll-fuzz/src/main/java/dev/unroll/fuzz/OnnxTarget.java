package dev.unroll.fuzz;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.onnx.OnnxException;
import dev.unroll.onnx.OnnxExport;
import dev.unroll.onnx.OnnxImport;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link OnnxImport#read(byte[])} on mutated exports of every recurrent cell (with and without
 * lengths and state inputs): the only failure is an {@link OnnxException}, and a model it imports
 * runs.
 */
final class OnnxTarget implements FuzzTarget {
    private final List<byte[]> seeds = new ArrayList<>();

    OnnxTarget() {
        Rng rng = new Rng(3);
        for (CellType type : CellType.values()) {
            Sequential forecaster = Sequential.of(Recurrent.builder(type, 2, 3).rng(rng).build(), new Dense(3, 1, rng));
            seeds.add(OnnxExport.toModel(forecaster, OnnxExport.Options.PLAIN, Map.of()).toBytes());
            Sequential classifier = Sequential.of(Recurrent.builder(type, 2, 3).layers(2).bidirectional(true).returnSequences(false)
                    .rng(rng).build(), new LayerNormalization(6), new Dense(6, 3, Activation.SIGMOID, rng));
            seeds.add(OnnxExport.toModel(classifier, new OnnxExport.Options(true, true), Map.of("app.note", "x")).toBytes());
        }
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws OnnxException {
        OnnxImport.ImportedModel imported = OnnxImport.read(input);
        if (imported.model() instanceof Sequential s && s.layers().get(0) instanceof Recurrent r) {
            try {
                s.predict(Tensor.ones(2, 3, r.inputSize()), new int[] {3, 1});
            } catch (dev.unroll.tensor.ShapeException layersThatDoNotFit) {
                if (layersThatDoNotFit.getMessage() == null || layersThatDoNotFit.getMessage().isBlank()) {
                    throw new AssertionError("a shape error without a message", layersThatDoNotFit);
                }
            }
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof OnnxException;
    }
}
