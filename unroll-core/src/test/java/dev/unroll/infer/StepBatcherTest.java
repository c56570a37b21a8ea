package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Dynamic batching: submitted steps run together, with the numbers of each alone; bad steps fail alone. */
class StepBatcherTest {

    @Test
    void stepsSubmittedTogetherRunAsOneBatchWithTheirOwnNumbers() throws Exception {
        Predictor p = Predictor.of(Models.forecaster(CellType.GRU, 12, 1));
        Rng rng = new Rng(2);
        int n = 40;
        SessionState[] states = new SessionState[n];
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            states[i] = p.step(p.newSession(), Tensor.uniform(rng, -1f, 1f, 3).toArray()).state();
            inputs[i] = Tensor.uniform(rng, -1f, 1f, 1 + i % 4).toArray();
        }
        // A wait far longer than it takes to submit them all: they fill one batch of n.
        try (StepBatcher b = p.batcher(n, Duration.ofSeconds(30))) {
            @SuppressWarnings("unchecked")
            CompletableFuture<StepResult>[] futures = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                futures[i] = b.submit(states[i], inputs[i]);
            }
            for (int i = 0; i < n; i++) {
                StepResult alone = p.step(states[i], inputs[i]);
                StepResult batched = futures[i].get();
                assertArrayEquals(alone.outputs(), batched.outputs(), "session " + i);
                assertEquals(alone.state(), batched.state(), "session " + i);
            }
            assertEquals(1, b.batches(), "a full batch runs at once, as one");
            assertEquals(n, b.steps());
        }
    }

    @Test
    void aLoneStepRunsWhenTheWaitEnds() {
        Predictor p = Predictor.of(Models.forecaster(CellType.RNN, 8, 1));
        try (StepBatcher b = p.batcher(64, Duration.ofMillis(1))) {
            SessionState s = p.newSession();
            for (int i = 0; i < 20; i++) {
                s = b.step(s, new float[] {0.1f * i}).state();
            }
            assertEquals(20, b.batches(), "nothing else to wait for: one step per batch");
            assertEquals(p.step(p.newSession(), new float[] {0f, 0.1f, 0.2f}).state().size(), s.size());
        }
    }

    @Test
    void aBadStepFailsAloneAndAClosedBatcherRefuses() throws Exception {
        Predictor p = Predictor.of(Models.forecaster(CellType.RNN, 8, 1));
        Predictor other = Predictor.of(Models.forecaster(CellType.LSTM, 8, 1));
        StepBatcher b = p.batcher(4, Duration.ofMillis(1));
        CompletableFuture<StepResult> foreign = b.submit(other.newSession(), new float[] {1f});
        CompletableFuture<StepResult> good = b.submit(p.newSession(), new float[] {1f});
        ExecutionException e = assertThrows(ExecutionException.class, foreign::get);
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(1, good.get().outputs().length);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> b.step(p.newSession(), new float[0]));
        assertTrue(thrown.getMessage().contains("one or more steps"), thrown.getMessage());
        b.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> b.step(p.newSession(), new float[] {1f}));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.batcher(0, Duration.ZERO));
    }
}
