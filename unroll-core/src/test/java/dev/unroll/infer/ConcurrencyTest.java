package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.nn.CellType;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One predictor shared by 8 threads, 10,000 calls each — of {@code predict}, and of session steps,
 * plain and through the batcher — gives exactly the results of the same calls made on one thread.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS = 10_000;
    private static final int INPUTS = 32;

    @Test
    void eightThreadsGiveTheSingleThreadedResults() throws Exception {
        Predictor p = Predictor.builder(Models.forecaster(CellType.LSTM, 16, 1)).preprocessing(new Standardization(0.5, 2.0)).build();
        Tensor[] inputs = new Tensor[INPUTS];
        float[][] expected = new float[INPUTS][];
        for (int i = 0; i < INPUTS; i++) {
            inputs[i] = Models.inputs(100 + i, 1 + i % 3, 4 + i % 5, 1);
            expected[i] = p.predict(inputs[i]).toArray();
        }
        // Session chains: thread k steps its own session CALLS times through inputs (k + c) % INPUTS.
        float[][] chainOutputs = new float[THREADS][];
        SessionState[] chainStates = new SessionState[THREADS];
        for (int k = 0; k < THREADS; k++) {
            SessionState s = p.newSession();
            float[] outs = new float[CALLS];
            for (int c = 0; c < CALLS; c++) {
                StepResult r = p.step(s, new float[] {stepInput(k, c)});
                outs[c] = r.outputs()[0];
                s = r.state();
            }
            chainOutputs[k] = outs;
            chainStates[k] = s;
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (StepBatcher batcher = p.batcher(THREADS, java.time.Duration.ofMillis(1))) {
            List<Callable<Void>> work = new ArrayList<>();
            for (int k = 0; k < THREADS; k++) {
                int thread = k;
                work.add(() -> {
                    for (int c = 0; c < CALLS; c++) {
                        int i = (thread + c) % INPUTS;
                        assertArrayEquals(expected[i], p.predict(inputs[i]).toArray(), "thread " + thread + ", call " + c);
                    }
                    SessionState plain = p.newSession();
                    SessionState batched = p.newSession();
                    for (int c = 0; c < CALLS; c++) {
                        float[] x = {stepInput(thread, c)};
                        StepResult r = p.step(plain, x);
                        StepResult b = batcher.step(batched, x);
                        assertEquals(chainOutputs[thread][c], r.outputs()[0], "thread " + thread + ", step " + c);
                        assertEquals(chainOutputs[thread][c], b.outputs()[0], "thread " + thread + ", batched step " + c);
                        plain = r.state();
                        batched = b.state();
                    }
                    assertEquals(chainStates[thread], plain);
                    assertEquals(chainStates[thread], batched);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static float stepInput(int thread, int call) {
        return (float) Math.sin(0.37 * call + thread);
    }
}
