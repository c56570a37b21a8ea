package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Losses;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Parallel;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused sequence kernels give the same outputs, final states and gradients (of every weight,
 * of the input and of the initial state) as static unrolling through autograd — with and without
 * sequence lengths, and with a loss on only some of the steps (seed §9).
 */
class FusedVersusStaticTest {
    private record Shape(int batch, int steps, int inputs, int hidden) {
    }

    private static final Shape SMALL = new Shape(5, 6, 3, 4);

    private record Run(Tensor outputs, Tensor h, Tensor c, List<Tensor> grads) {
    }

    private static Run run(Cells.Kind kind, Shape shape, boolean fused, int[] lengths, boolean lossOnSomeSteps) {
        RecurrentCell cell = Cells.create(kind, shape.inputs, shape.hidden, 7);
        Rng rng = new Rng(99);
        Variable x = Variable.parameter("x", Tensor.uniform(rng, -1f, 1f, shape.batch, shape.steps, shape.inputs));
        Variable h0 = Variable.parameter("h0", Tensor.uniform(rng, -0.5f, 0.5f, shape.batch, shape.hidden));
        Variable c0 = cell.type() == CellType.LSTM
                ? Variable.parameter("c0", Tensor.uniform(rng, -0.5f, 0.5f, shape.batch, shape.hidden)) : null;
        State initial = new State(h0, c0);
        SequenceResult r = fused ? cell.forwardSequence(x, lengths, initial) : StaticUnroll.runPacked(cell, x, lengths, initial);
        Variable outputs = r.outputs();
        Variable used = lossOnSomeSteps ? outputs.slice(1, 2, shape.steps - 1) : outputs;
        Tensor target = Tensor.uniform(new Rng(5), -1f, 1f, used.shape());
        Variable loss = Losses.meanSquaredError(used, Variable.constant(target))
                .add(r.finalState().h().mul(r.finalState().h()).sum());
        if (c0 != null) {
            loss = loss.add(r.finalState().c().sum().scale(0.3f));
        }
        loss.backward();
        List<Tensor> grads = new ArrayList<>();
        for (Parameter p : cell.parameters()) {
            grads.add(p.grad().copy());
        }
        grads.add(x.grad().copy());
        grads.add(h0.grad().copy());
        if (c0 != null) {
            grads.add(c0.grad().copy());
        }
        return new Run(outputs.value(), r.finalState().h().value(), c0 == null ? null : r.finalState().c().value(), grads);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= 1e-5 + 1e-4 * Math.abs(e[i]),
                    what + "[" + i + "]: static " + e[i] + ", fused " + a[i]);
        }
    }

    private static void compare(Cells.Kind kind, Shape shape, int[] lengths, boolean someSteps) {
        Run reference = run(kind, shape, false, lengths, someSteps);
        Run fused = run(kind, shape, true, lengths, someSteps);
        assertClose(kind + " outputs", reference.outputs, fused.outputs);
        assertClose(kind + " final h", reference.h, fused.h);
        if (reference.c != null) {
            assertClose(kind + " final c", reference.c, fused.c);
        }
        String[] names = {"weight_ih", "weight_hh", "bias_ih", "bias_hh", "input", "h0", "c0"};
        for (int i = 0; i < reference.grads.size(); i++) {
            assertClose(kind + " d" + names[i], reference.grads.get(i), fused.grads.get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void fullLengthSequences(Cells.Kind kind) {
        compare(kind, SMALL, null, false);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void variableLengthsIncludingOneAndT(Cells.Kind kind) {
        compare(kind, SMALL, new int[] {6, 1, 3, 6, 2}, false);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void lossOnSomeStepsOnly(Cells.Kind kind) {
        compare(kind, SMALL, new int[] {4, 6, 1, 5, 3}, true);
    }

    /**
     * A pass whose gate gradients outgrow the cache (over 4 MB) adds the recurrent weight gradient
     * inside the backward loop, a team of threads in step: the same numbers again.
     */
    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void largePassWithTheWeightGradientInsideTheLoop(Cells.Kind kind) {
        Shape large = largeShape(kind);
        int[] lengths = new int[large.batch];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = 1 + (b * 7) % large.steps;
        }
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            compare(kind, large, lengths, true);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Shapes just over the size at which the recurrent weight gradient moves into the loop. */
    private static Shape largeShape(Cells.Kind kind) {
        int hidden = switch (kind.type()) {
            case RNN -> 544;
            case LSTM -> 136;
            case GRU -> 136;
        };
        Shape shape = new Shape(64, 32, 3, hidden);
        // GRU's gradient rows hold one more block of columns (see FusedGru.hiddenGradientColumn).
        int gradientWidth = (kind.type().gates + (kind.type() == CellType.GRU ? 1 : 0)) * hidden;
        assertTrue(FusedSequence.weightGradientInLoop(shape.steps, shape.batch, gradientWidth),
                "the large shape must take the in-loop path");
        return shape;
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void sameBitsWhateverTheThreadCount(Cells.Kind kind) {
        int saved = Parallel.threads();
        try {
            // Large enough batch to be split across threads; the small hidden size takes the path
            // with the weight gradient after the loop, the large shape the one inside it.
            for (Shape shape : List.of(new Shape(70, 5, 3, 8), largeShape(kind))) {
                Parallel.setThreads(1);
                Tensor one = bigRun(kind, shape);
                Parallel.setThreads(3);
                Tensor three = bigRun(kind, shape);
                org.junit.jupiter.api.Assertions.assertArrayEquals(one.toArray(), three.toArray(), shape.toString());
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static Tensor bigRun(Cells.Kind kind, Shape shape) {
        RecurrentCell cell = Cells.create(kind, shape.inputs, shape.hidden, 11);
        Variable x = Variable.constant(Tensor.uniform(new Rng(3), -1f, 1f, shape.batch, shape.steps, shape.inputs));
        SequenceResult r = cell.forwardSequence(x, null, null);
        r.outputs().sum().backward();
        List<Tensor> parts = new ArrayList<>(List.of(r.outputs().value().reshape(-1)));
        for (Parameter p : cell.parameters()) {
            parts.add(p.grad().reshape(-1));
        }
        return Tensor.concat(0, parts);
    }
}
