package dev.unroll.infer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching of session steps: steps submitted from any number of threads are gathered and
 * run together by {@link Predictor#step(SessionState[], float[][])}, one product per time step for
 * the whole batch instead of one per session. A batch starts with the first waiting step and closes
 * when it holds {@code maxBatch} steps or {@code maxWait} has passed since that step was submitted,
 * whichever comes first; steps that arrive while a batch runs wait for the next one. Each result is
 * the same bits as stepping its session alone.
 *
 * <p>One daemon thread runs the batches. Submitting never blocks; {@link #submit} completes its
 * future from that thread. {@link #close} lets the steps already submitted finish, then stops the
 * thread; steps submitted after it fail.
 */
public final class StepBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepBatcher.class);

    private final Predictor predictor;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();

    /** A submitted step and where its result goes. */
    private record Pending(SessionState state, float[] inputs, long submitted, CompletableFuture<StepResult> result) {
    }

    StepBatcher(Predictor predictor, int maxBatch, Duration maxWait) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("step batcher: max batch must be at least 1, got " + maxBatch);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("step batcher: max wait must not be negative, got " + maxWait);
        }
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.thread = new Thread(this::loop, "unroll-step-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues one session's step (inputs as for {@link Predictor#step(SessionState, float[])}); the
     * future completes with its result, or exceptionally with the reason it could not run (a state
     * of another model, inputs that are not whole steps, a closed batcher).
     */
    public CompletableFuture<StepResult> submit(SessionState state, float[] inputs) {
        CompletableFuture<StepResult> f = new CompletableFuture<>();
        try {
            predictor.requireOwn(state);
            predictor.stepsOf(inputs);
        } catch (IllegalArgumentException e) {
            f.completeExceptionally(e);
            return f;
        }
        if (closed) {
            f.completeExceptionally(new IllegalStateException("step batcher: closed"));
            return f;
        }
        Pending p = new Pending(state, inputs, System.nanoTime(), f);
        queue.add(p);
        if (closed && queue.remove(p)) {
            // Closed meanwhile, and no one took it: it would never run.
            f.completeExceptionally(new IllegalStateException("step batcher: closed"));
        }
        return f;
    }

    /** {@link #submit} and wait: the step's result, or its failure rethrown. */
    public StepResult step(SessionState state, float[] inputs) {
        try {
            return submit(state, inputs).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Batches run so far. */
    public long batches() {
        return batches.get();
    }

    /** Session steps run so far (over all batches). */
    public long steps() {
        return steps.get();
    }

    /** Finishes the steps already submitted, then stops the batching thread. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything that slipped in after the thread's last look.
        for (Pending p; (p = queue.poll()) != null; ) {
            p.result.completeExceptionally(new IllegalStateException("step batcher: closed"));
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (true) {
            Pending first;
            try {
                first = closed ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue; // closed: drain what is queued, then stop
            }
            if (first == null) {
                return;
            }
            batch.add(first);
            long deadline = first.submitted + maxWaitNanos;
            while (batch.size() < maxBatch) {
                Pending next = queue.poll();
                if (next == null && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        next = queue.poll();
                    }
                }
                if (next == null) {
                    break;
                }
                batch.add(next);
            }
            run(batch);
            batch.clear();
        }
    }

    private void run(List<Pending> batch) {
        int n = batch.size();
        SessionState[] states = new SessionState[n];
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            states[i] = batch.get(i).state;
            inputs[i] = batch.get(i).inputs;
        }
        StepResult[] results;
        try {
            results = predictor.step(states, inputs);
        } catch (RuntimeException | Error e) {
            LOG.warn("step batcher: a batch of {} steps failed", n, e);
            for (Pending p : batch) {
                p.result.completeExceptionally(e);
            }
            return;
        }
        batches.incrementAndGet();
        steps.addAndGet(n);
        for (int i = 0; i < n; i++) {
            batch.get(i).result.complete(results[i]);
        }
    }
}
