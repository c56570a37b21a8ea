package dev.unroll.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Unroll's worker threads: a fixed set of persistent daemon threads that run the tasks of one
 * {@link #run} call at a time, the calling thread taking part.
 *
 * <p>Why not an {@code ExecutorService}: a recurrent layer makes one small matrix product per time
 * step, thousands per second, and a pool submit or a thread wake-up costs more than such a product.
 * Idle workers therefore spin briefly ({@value #SPIN_NANOS} ns) waiting for the next call before they
 * park.
 *
 * <p>Determinism: callers split their work into tasks that are fixed by the problem (never by the
 * thread count) and write disjoint outputs, so the results are the same bits whatever the thread
 * count and whichever thread runs which task.
 *
 * <p>The thread count defaults to the number of available processors, or the system property
 * {@code unroll.threads}; {@link #setThreads} changes it.
 *
 * <p>One call at a time has the workers: {@link #run} waits for them (training is one caller).
 * Inference from many request threads uses {@link #runWithin} instead: its own thread budget,
 * never waiting for another call — with a budget of 1, or when the workers are busy, the caller
 * runs every task itself, so concurrent calls neither serialize nor change each other's settings.
 */
public final class Parallel {
    private static final long SPIN_NANOS = 200_000;

    /** Held by the call that has the workers. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile int threads = initialThreads();
    private static Worker[] workers = new Worker[0];

    /** The job being run: published by the caller, read by the workers. */
    private static volatile IntConsumer body;
    private static volatile int taskCount;
    /**
     * Job number (high 32 bits) and next unclaimed task (low 32 bits). A task is claimed by a CAS on
     * this word, so a worker that read a previous job's body can never run it with an index of a
     * later job: the caller closes the word ({@link #CLOSED}) before it touches the job fields.
     */
    private static final long CLOSED = Integer.MAX_VALUE;
    private static final AtomicLong claim = new AtomicLong(CLOSED);
    private static final AtomicInteger unfinished = new AtomicInteger();
    private static final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Incremented once per job; workers wait for it to change. */
    private static volatile long generation;

    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("unroll.threads");
        int n = Runtime.getRuntime().availableProcessors();
        if (p != null && !p.isBlank()) {
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property unroll.threads must be a positive integer, got '" + p + "'");
            }
        }
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        return n;
    }

    /** The number of threads {@link #run} uses, the caller included. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads (at least 1). Results do not depend on it, only speed. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        threads = n;
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)}, spread over the
     * threads, and returns when all are done. A task that throws makes this call throw the same
     * exception after the others finish. Calls from inside a task run serially on that thread.
     */
    public static void run(int tasks, IntConsumer task) {
        run(Math.min(threads, tasks), tasks, task);
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)} on at most
     * {@code budget} threads, the caller included, without ever waiting for another call: with a
     * budget of 1, from inside a task, or while another call has the workers, the caller runs all
     * the tasks itself (the same results: tasks are fixed by the problem, not by the threads). A
     * budget of 1 touches no shared state at all. Otherwise as {@link #run(int, IntConsumer)}.
     */
    public static void runWithin(int budget, int tasks, IntConsumer task) {
        if (budget < 1) {
            throw new IllegalArgumentException("thread budget must be at least 1, got " + budget);
        }
        int n = Math.min(budget, tasks);
        if (n <= 1 || INSIDE.get() || !LOCK.tryLock()) {
            runHere(tasks, task);
            return;
        }
        try {
            runLocked(n, tasks, task);
        } finally {
            LOCK.unlock();
        }
    }

    /** {@link #run(int, IntConsumer)} on {@code n} threads. */
    private static void run(int n, int tasks, IntConsumer task) {
        if (n <= 1 || INSIDE.get()) {
            runHere(tasks, task);
            return;
        }
        LOCK.lock();
        try {
            runLocked(n, tasks, task);
        } finally {
            LOCK.unlock();
        }
    }

    private static void runHere(int tasks, IntConsumer task) {
        for (int i = 0; i < tasks; i++) {
            task.accept(i);
        }
    }

    /** Runs the tasks on the caller and {@code n − 1} workers; the caller holds {@link #LOCK}. */
    private static void runLocked(int n, int tasks, IntConsumer task) {
        Worker[] team = ensureWorkers(n - 1);
        long job = (claim.get() >>> 32) + 1;
        claim.set(job << 32 | CLOSED);
        failure.set(null);
        body = task;
        taskCount = tasks;
        unfinished.set(tasks);
        claim.set(job << 32);
        generation++;
        for (int w = 0; w < n - 1; w++) {
            team[w].wake();
        }
        INSIDE.set(Boolean.TRUE);
        try {
            drain();
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
        while (unfinished.get() > 0) {
            Thread.onSpinWait();
        }
        body = null;
        Throwable t = failure.get();
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(t);
        }
    }

    /**
     * Below this many elements an element-wise loop runs on the caller: 2¹⁶ floats take ~10 µs
     * in one pass, well above the hand-off to the spinning workers.
     */
    static final int MIN_PARALLEL_ELEMENTS = 1 << 16;
    /** Pieces start on multiples of this many elements (whole 64-byte lines, whole vectors). */
    private static final int RANGE_ALIGN = 16;

    /**
     * Runs {@code task.run(from, to)} over pieces that cover {@code [0, n)}: one per thread, of
     * whole cache lines, when n is at least {@link #MIN_PARALLEL_ELEMENTS}, else one piece on the
     * calling thread. For element-wise work only (each element computed alone), whose result
     * does not depend on the cut: a 13 MB loss or activation otherwise leaves the other threads idle.
     */
    public static void forRanges(int n, RangeTask task) {
        int pieces = n < MIN_PARALLEL_ELEMENTS ? 1 : Math.min(threads, n / (MIN_PARALLEL_ELEMENTS / 2));
        if (pieces <= 1) {
            task.run(0, n);
            return;
        }
        int per = (n / pieces + RANGE_ALIGN - 1) / RANGE_ALIGN * RANGE_ALIGN;
        run(pieces, piece -> {
            int from = piece * per;
            int to = piece == pieces - 1 ? n : Math.min(n, from + per);
            if (from < to) {
                task.run(from, to);
            }
        });
    }

    /** A piece {@code [from, to)} of an element-wise loop (see {@link #forRanges}). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task.run(member, team)} once for each member of a team of threads that run at the
     * same time and can wait for each other ({@link Team#await}): up to {@code wanted} members, as
     * many as there are threads. Called from inside a task, or with one thread, the team is the
     * calling thread alone. Callers that want results independent of the thread count must make
     * them independent of the team size.
     */
    public static void together(int wanted, TeamTask task) {
        int size = INSIDE.get() ? 1 : Math.max(1, Math.min(threads, wanted));
        Team team = new Team(size);
        // With as many tasks as threads, each thread holds one task: none can finish, and so none
        // can claim a second, before every member has reached the barrier.
        run(size, size, member -> task.run(member, team));
    }

    /** The body of {@link #together}. */
    @FunctionalInterface
    public interface TeamTask {
        void run(int member, Team team);
    }

    /** The members of one {@link #together} call, with a barrier between them. */
    public static final class Team {
        /** Spinning this long before yielding the processor: a step of a recurrent layer lasts ~100 µs. */
        private static final long SPIN_NANOS = 50_000;

        private final int size;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile int phase;

        private Team(int size) {
            this.size = size;
        }

        /** The number of members. */
        public int size() {
            return size;
        }

        /**
         * Waits until every member has called this as often as the caller: what each wrote before
         * its call is visible to all after it. If another member has failed, throws instead of
         * waiting forever.
         */
        public void await() {
            if (size == 1) {
                return;
            }
            int current = phase;
            if (waiting.incrementAndGet() == size) {
                waiting.set(0);
                phase = current + 1;
                return;
            }
            long start = System.nanoTime();
            while (phase == current) {
                if (failure.get() != null) {
                    throw new IllegalStateException("another member of the team failed");
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** Claims and runs tasks of the current job until none is left. */
    private static void drain() {
        while (true) {
            long c = claim.get();
            IntConsumer job = body;
            int count = taskCount;
            int i = (int) (c & 0xFFFF_FFFFL);
            if (i >= count) {
                return;
            }
            if (!claim.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                if (failure.get() == null) {
                    job.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                unfinished.decrementAndGet();
            }
        }
    }

    private static Worker[] ensureWorkers(int count) {
        if (workers.length < count) {
            Worker[] grown = java.util.Arrays.copyOf(workers, count);
            for (int i = workers.length; i < count; i++) {
                grown[i] = new Worker(i + 1);
                grown[i].start();
            }
            workers = grown;
        }
        return workers;
    }

    private static final class Worker extends Thread {
        private volatile boolean parked;
        private long seen = generation;

        Worker(int index) {
            super("unroll-worker-" + index);
            setDaemon(true);
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            INSIDE.set(Boolean.TRUE);
            while (true) {
                awaitJob();
                drain();
            }
        }

        private void awaitJob() {
            long start = System.nanoTime();
            while (generation == seen) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (generation == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
            seen = generation;
        }
    }
}
