package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyTaskRunsExactlyOnceOverManyCalls() {
        Parallel.setThreads(3);
        for (int call = 0; call < 2000; call++) {
            int tasks = 1 + call % 9;
            AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
            Parallel.run(tasks, hits::incrementAndGet);
            for (int i = 0; i < tasks; i++) {
                assertEquals(1, hits.get(i), "call " + call + " task " + i);
            }
        }
    }

    @Test
    void nestedCallsRunSerially() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(16);
        Parallel.run(4, outer -> Parallel.run(4, inner -> hits.incrementAndGet(outer * 4 + inner)));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void aFailingTaskFailsTheCall() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.run(8, i -> {
            if (i == 5) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        // The pool still works afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(8);
        Parallel.run(8, hits::incrementAndGet);
        assertEquals(1, hits.get(7));
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
