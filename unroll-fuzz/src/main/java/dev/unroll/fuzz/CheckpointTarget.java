package dev.unroll.fuzz;

import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensorsException;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.DropoutLayer;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Checkpoint#read}: a checkpoint it accepts is a model that runs; the only failure while
 * loading is a {@link SafeTensorsException}. A loaded model whose layers do not fit each other
 * (a configuration edited by hand) may refuse an input with a shape error naming the sizes.
 */
final class CheckpointTarget implements FuzzTarget {
    private final List<byte[]> seeds = new ArrayList<>();

    CheckpointTarget() {
        Rng rng = new Rng(1);
        for (CellType type : CellType.values()) {
            seeds.add(Checkpoint.toBytes(Sequential.of(Recurrent.builder(type, 3, 4).rng(rng).build(), new Dense(4, 1, rng)),
                    Map.of("unroll.cli.window", "20", "unroll.cli.mean", "0.5")));
            seeds.add(Checkpoint.toBytes(Sequential.of(Recurrent.builder(type, 2, 3).layers(2).bidirectional(true)
                    .returnSequences(false).dropoutBetweenLayers(0.1f).rng(rng).build(), new DropoutLayer(0.2f),
                    new LayerNormalization(6), new Dense(6, 3, Activation.SIGMOID, rng)), Map.of()));
        }
        seeds.add(Checkpoint.toBytes(Recurrent.builder(CellType.RNN, 1, 2).activation(Activation.RELU).rng(rng).build(), Map.of()));
    }

    /** Valid checkpoints, also the seeds of the safetensors and JSON targets. */
    List<byte[]> checkpoints() {
        return seeds;
    }

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws Exception {
        Layer model = Checkpoint.read(input, "fuzz").model();
        Recurrent first = model instanceof Sequential s && !s.layers().isEmpty() && s.layers().get(0) instanceof Recurrent r ? r
                : model instanceof Recurrent r ? r : null;
        if (first != null && model instanceof Sequential s) {
            try {
                s.predict(Tensor.ones(2, 3, first.inputSize()), new int[] {3, 1});
            } catch (dev.unroll.tensor.ShapeException layersThatDoNotFit) {
                if (layersThatDoNotFit.getMessage() == null || layersThatDoNotFit.getMessage().isBlank()) {
                    throw new AssertionError("a shape error without a message", layersThatDoNotFit);
                }
            }
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof SafeTensorsException;
    }
}
