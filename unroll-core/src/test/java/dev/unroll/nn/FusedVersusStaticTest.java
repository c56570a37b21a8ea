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
    private static final int BATCH = 5;
    private static final int STEPS = 6;
    private static final int INPUTS = 3;
    private static final int HIDDEN = 4;

    private record Run(Tensor outputs, Tensor h, Tensor c, List<Tensor> grads) {
    }

    private static Run run(Cells.Kind kind, boolean fused, int[] lengths, boolean lossOnSomeSteps) {
        RecurrentCell cell = Cells.create(kind, INPUTS, HIDDEN, 7);
        Rng rng = new Rng(99);
        Variable x = Variable.parameter("x", Tensor.uniform(rng, -1f, 1f, BATCH, STEPS, INPUTS));
        Variable h0 = Variable.parameter("h0", Tensor.uniform(rng, -0.5f, 0.5f, BATCH, HIDDEN));
        Variable c0 = cell.type() == CellType.LSTM ? Variable.parameter("c0", Tensor.uniform(rng, -0.5f, 0.5f, BATCH, HIDDEN)) : null;
        State initial = new State(h0, c0);
        SequenceResult r = fused ? cell.forwardSequence(x, lengths, initial) : StaticUnroll.runPacked(cell, x, lengths, initial);
        Variable outputs = r.outputs();
        Variable used = lossOnSomeSteps ? outputs.slice(1, 2, 5) : outputs;
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

    private static void compare(Cells.Kind kind, int[] lengths, boolean someSteps) {
        Run reference = run(kind, false, lengths, someSteps);
        Run fused = run(kind, true, lengths, someSteps);
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
        compare(kind, null, false);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void variableLengthsIncludingOneAndT(Cells.Kind kind) {
        compare(kind, new int[] {6, 1, 3, 6, 2}, false);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void lossOnSomeStepsOnly(Cells.Kind kind) {
        compare(kind, new int[] {4, 6, 1, 5, 3}, true);
    }

    @ParameterizedTest
    @EnumSource(Cells.Kind.class)
    void sameBitsWhateverTheThreadCount(Cells.Kind kind) {
        int saved = Parallel.threads();
        try {
            // Large enough batch to be split across threads.
            Parallel.setThreads(1);
            Tensor one = bigRun(kind);
            Parallel.setThreads(3);
            Tensor three = bigRun(kind);
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.toArray(), three.toArray());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static Tensor bigRun(Cells.Kind kind) {
        RecurrentCell cell = Cells.create(kind, 3, 8, 11);
        Variable x = Variable.constant(Tensor.uniform(new Rng(3), -1f, 1f, 70, 5, 3));
        SequenceResult r = cell.forwardSequence(x, null, null);
        r.outputs().sum().backward();
        List<Tensor> parts = new ArrayList<>(List.of(r.outputs().value().reshape(-1)));
        for (Parameter p : cell.parameters()) {
            parts.add(p.grad().reshape(-1));
        }
        return Tensor.concat(0, parts);
    }
}
