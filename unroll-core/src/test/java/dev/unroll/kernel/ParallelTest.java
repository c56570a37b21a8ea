package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    void teamMembersSeeEachOthersWritesAfterEveryBarrier() {
        Parallel.setThreads(3);
        int[] slots = new int[3];
        AtomicIntegerArray mismatches = new AtomicIntegerArray(3);
        int[] size = new int[1];
        Parallel.together(5, (member, team) -> {
            size[0] = team.size();
            for (int round = 1; round <= 2000; round++) {
                slots[member] = round;
                team.await();
                for (int other = 0; other < team.size(); other++) {
                    if (slots[other] != round) {
                        mismatches.incrementAndGet(member);
                    }
                }
                team.await();
            }
        });
        assertEquals(3, size[0], "a team is as large as the thread count allows");
        for (int m = 0; m < 3; m++) {
            assertEquals(0, mismatches.get(m), "member " + m);
        }
    }

    @Test
    void rangesCoverEveryElementOnceInAlignedPieces() {
        int min = Parallel.MIN_PARALLEL_ELEMENTS;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 17, min - 1, min, 3 * min + 5, 10 * min + 1021}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                AtomicIntegerArray misaligned = new AtomicIntegerArray(1);
                Parallel.forRanges(n, (from, to) -> {
                    if (from % 16 != 0) {
                        misaligned.incrementAndGet(0);
                    }
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "element " + i + " of " + n + " on " + threads + " thread(s)");
                }
                assertEquals(0, misaligned.get(0), "pieces start on whole cache lines");
            }
        }
    }

    @Test
    void aTeamInsideATaskIsTheCallingThreadAlone() {
        Parallel.setThreads(2);
        AtomicIntegerArray sizes = new AtomicIntegerArray(2);
        Parallel.run(2, outer -> Parallel.together(4, (member, team) -> {
            team.await();
            sizes.set(outer, team.size());
        }));
        assertEquals(1, sizes.get(0));
        assertEquals(1, sizes.get(1));
    }

    @Test
    void aFailingMemberFailsTheCallInsteadOfLeavingTheOthersWaiting() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.together(2, (member, team) -> {
            if (member == 1) {
                throw boom;
            }
            team.await();
        }));
        assertSame(boom, thrown);
    }

    @Test
    void aBudgetRunsEveryTaskOnceOnAtMostThatManyThreads() {
        Parallel.setThreads(1);
        for (int budget = 1; budget <= 3; budget++) {
            for (int call = 0; call < 500; call++) {
                int tasks = 1 + call % 7;
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                Parallel.runWithin(budget, tasks, i -> {
                    hits.incrementAndGet(i);
                    threads.add(Thread.currentThread());
                });
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, hits.get(i), "budget " + budget + ", call " + call + ", task " + i);
                }
                assertTrue(threads.size() <= budget, threads.size() + " threads for a budget of " + budget);
                if (budget == 1) {
                    assertEquals(Set.of(Thread.currentThread()), threads, "a budget of 1 runs on the caller alone");
                }
            }
        }
        assertEquals(1, Parallel.threads(), "a budget does not change the global thread count");
    }

    @Test
    void aBudgetedCallDoesNotWaitForTheWorkersHeldByAnotherCall() throws Exception {
        Parallel.setThreads(2);
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread training = new Thread(() -> Parallel.run(2, i -> {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        training.start();
        try {
            assertTrue(holding.await(30, TimeUnit.SECONDS), "the first call holds the workers");
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            AtomicIntegerArray hits = new AtomicIntegerArray(6);
            Parallel.runWithin(2, 6, i -> {
                hits.incrementAndGet(i);
                threads.add(Thread.currentThread());
            });
            assertEquals(Set.of(Thread.currentThread()), threads, "the workers are busy: the caller ran every task");
            for (int i = 0; i < 6; i++) {
                assertEquals(1, hits.get(i));
            }
        } finally {
            release.countDown();
            training.join(30_000);
        }
    }

    @Test
    void rejectsNonPositiveBudget() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.runWithin(0, 3, i -> { }));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
