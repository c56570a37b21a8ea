package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.SimpleRnnCell;
import dev.unroll.nn.StaticUnroll;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Seed §5: each step of the static unrolling is the seed's formula; the final state is Y1. */
class StaticUnrollingTest {
    private final SimpleRnnCell cell = StaticUnrolling.seedCell();

    /** {@code tanh(x·W_ihᵀ + h·W_hhᵀ + b_ih + b_hh)} in double (h = null: no previous step). */
    private double[][] step(Tensor x, double[][] h) {
        double[][] y = new double[4][5];
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < 5; j++) {
                double pre = cell.biasIh().value().get(j) + cell.biasHh().value().get(j);
                for (int i = 0; i < 3; i++) {
                    pre += x.get(b, i) * cell.weightIh().value().get(j, i);
                }
                for (int k = 0; h != null && k < 5; k++) {
                    pre += h[b][k] * cell.weightHh().value().get(j, k);
                }
                y[b][j] = Math.tanh(pre);
            }
        }
        return y;
    }

    @Test
    void eachStepIsTheSeedsFormulaAndTheFinalStateIsTheLastOutput() {
        StaticUnroll.Result r = StaticUnrolling.run(cell);
        double[][] y0 = step(RnnByHand.X0, null);
        double[][] y1 = step(RnnByHand.X1, y0);
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(y0[b][j], r.outputs().get(0).value().get(b, j), 1e-6);
                assertEquals(y1[b][j], r.outputs().get(1).value().get(b, j), 1e-6);
            }
        }
        assertArrayEquals(r.outputs().get(1).value().toArray(), r.finalState().h().value().toArray());
    }

    @Test
    void mainPrintsBothStepsAndTheState() {
        String out = RnnByHandTest.capture(() -> StaticUnrolling.main(new String[0]));
        assertTrue(out.contains("Y1 (outputs at t = 1)"), out);
        assertTrue(out.contains("the final state is Y1 (a BasicRNNCell outputs its state): true"), out);
    }
}
