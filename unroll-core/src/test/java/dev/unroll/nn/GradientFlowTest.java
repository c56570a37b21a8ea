package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradientFlowTest {
    private final RecurrentCell cell = new GruCell(3, 5, new Rng(2));
    private final Tensor x = Tensor.uniform(new Rng(4), -1f, 1f, 2, 6, 3);

    @Test
    void isTheNormAtEveryStepOfTheInputGradientOfTheFinalStatesSum() {
        double[] norms = GradientFlow.inputGradientNorms(cell, x);
        // The same gradient through per-step autograd (static unrolling).
        Variable input = Variable.parameter("x", x.copy());
        StaticUnroll.runPacked(cell, input, null, null).finalState().h().sum().backward();
        for (int t = 0; t < 6; t++) {
            double square = 0;
            for (int b = 0; b < 2; b++) {
                for (int f = 0; f < 3; f++) {
                    square += Math.pow(input.grad().get(b, t, f), 2);
                }
            }
            assertEquals(Math.sqrt(square), norms[t], 1e-5 * Math.sqrt(square), "step " + t);
        }
    }

    @Test
    void leavesTheCellsParameterGradientsAsTheyWere() {
        for (Parameter p : cell.parameters()) {
            p.grad().fill(0.25f);
        }
        GradientFlow.inputGradientNorms(cell, x);
        for (Parameter p : cell.parameters()) {
            for (float g : p.grad().toArray()) {
                assertEquals(0.25f, g, p.name());
            }
        }
    }
}
