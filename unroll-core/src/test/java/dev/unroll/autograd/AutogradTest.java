package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Behaviour of the tape itself: accumulation, no-grad, releasing, errors. */
class AutogradTest {

    @Test
    void aWeightUsedTwiceReceivesTheSumOfBothGradients() {
        // L = sum(x·w) + sum(x'·w): dL/dw = colsum(x) + colsum(x'), as for a weight shared over time steps.
        Variable w = Variable.parameter("w", Tensor.of(new float[] {1, 2}, 2, 1));
        Variable x0 = Variable.constant(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        Variable x1 = Variable.constant(Tensor.of(new float[] {10, 20, 30, 40}, 2, 2));
        x0.matmul(w).add(x1.matmul(w)).sum().backward();
        assertArrayEquals(new float[] {1 + 3 + 10 + 30, 2 + 4 + 20 + 40}, w.grad().toArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Variable w = Variable.parameter("w", Tensor.of(new float[] {3}, 1));
        w.mul(w).sum().backward();
        w.mul(w).sum().backward();
        assertEquals(12f, w.grad().get(0));
        w.zeroGrad();
        assertEquals(0f, w.grad().get(0));
    }

    @Test
    void noGradRecordsNothing() {
        Variable w = Variable.parameter("w", Tensor.ones(2));
        Variable y;
        try (var scope = Autograd.noGrad()) {
            assertFalse(Autograd.isRecording());
            y = w.tanh();
        }
        assertTrue(Autograd.isRecording());
        assertFalse(y.requiresGrad());
        Variable finalY = y.sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, finalY::backward);
        assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
    }

    @Test
    void constantsDoNotGetGradients() {
        Variable w = Variable.parameter("w", Tensor.ones(2));
        Variable c = Variable.constant(Tensor.ones(2));
        w.mul(c).sum().backward();
        assertNull(c.grad());
    }

    @Test
    void intermediateGradientsAreReleasedUnlessRetained() {
        Variable w = Variable.parameter("w", Tensor.ones(2));
        Variable hidden = w.tanh();
        Variable kept = w.sigmoid().retainGrad();
        hidden.add(kept).sum().backward();
        assertNull(hidden.grad());
        assertArrayEquals(new float[] {1, 1}, kept.grad().toArray());
    }

    @Test
    void aGraphIsConsumedByOneBackwardPass() {
        Variable w = Variable.parameter("w", Tensor.ones(2));
        Variable loss = w.tanh().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void backwardNeedsAScalarOrAnOutputGradient() {
        Variable w = Variable.parameter("w", Tensor.ones(2, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> w.tanh().backward());
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(ShapeException.class, () -> w.tanh().backward(Tensor.ones(3)));
    }

    @Test
    void shapeErrorsNameBothShapes() {
        Variable a = Variable.constant(Tensor.zeros(4, 3));
        Variable b = Variable.constant(Tensor.zeros(5, 5));
        ShapeException e = assertThrows(ShapeException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[5, 5]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Losses.meanSquaredError(a, b));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[5, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(Variable.constant(Tensor.zeros(2, 3)), new int[] {0, 3}));
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Variable w = Variable.parameter("w", Tensor.full(0.5f, 1));
        Variable h = w;
        for (int i = 0; i < 20_000; i++) {
            h = h.scale(1f);
        }
        h.sum().backward();
        assertEquals(1f, w.grad().get(0));
    }
}
