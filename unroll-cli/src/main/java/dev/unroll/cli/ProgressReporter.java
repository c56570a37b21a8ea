package dev.unroll.cli;

import dev.unroll.train.Progress;
import dev.unroll.train.TrainingListener;
import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Draws training progress on standard error and prints the per-epoch (or per-period) result lines on
 * standard output.
 *
 * <ul>
 *   <li>On a terminal: one status line ({@code iteration 730/1500 (49%)  loss 0.0123  512 it/s  ETA 2s})
 *       redrawn in place with {@code \r} at most every 100 ms, and cleared before a result line is
 *       printed, so the two never mix.</li>
 *   <li>Otherwise (CI, pipes, log files): the same status as a plain line every
 *       {@value #PLAIN_INTERVAL_SECONDS} seconds, without {@code \r} or escape codes.</li>
 * </ul>
 *
 * The loss shown is an exponential moving average of the batch losses; the rate and the ETA count
 * all time since the start, validation included.
 */
final class ProgressReporter implements TrainingListener, AutoCloseable {
    static final long PLAIN_INTERVAL_SECONDS = 10;
    private static final long LIVE_INTERVAL_NANOS = 100_000_000L;
    private static final double SMOOTHING = 0.1;

    /** How the position in training is told. */
    enum Unit {
        /** {@code iteration 730/1500 (49%)}: training by iterations (forecast). */
        ITERATIONS,
        /** {@code epoch 2/3  batch 20/54}: training by epochs (classify). */
        EPOCHS
    }

    private final Console console;
    private final Unit unit;
    private final Function<Progress, String> resultLine;
    private final LongSupplier clock;
    private final boolean live;
    private final long interval;

    private long total;
    private long perEpoch;
    private long done;
    private double smoothedLoss = Double.NaN;
    private long start;
    private long lastDrawn;
    private int shownWidth;

    /**
     * @param resultLine the stdout line for each epoch or reporting period
     */
    ProgressReporter(Console console, Unit unit, Function<Progress, String> resultLine) {
        this(console, unit, resultLine, System::nanoTime, console.errIsTerminal(),
                console.errIsTerminal() ? LIVE_INTERVAL_NANOS : PLAIN_INTERVAL_SECONDS * 1_000_000_000L);
    }

    /** With a given clock, mode and minimum time between two status lines (tests). */
    ProgressReporter(Console console, Unit unit, Function<Progress, String> resultLine, LongSupplier clock, boolean live,
                     long intervalNanos) {
        this.console = console;
        this.unit = unit;
        this.resultLine = resultLine;
        this.clock = clock;
        this.live = live;
        this.interval = intervalNanos;
    }

    @Override
    public void onStart(long totalSteps, long stepsPerEpoch) {
        total = totalSteps;
        perEpoch = Math.max(1, stepsPerEpoch);
        done = 0;
        start = clock.getAsLong();
        lastDrawn = start;
    }

    @Override
    public void onStep(long iteration, double loss) {
        done++;
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : smoothedLoss + SMOOTHING * (loss - smoothedLoss);
        long now = clock.getAsLong();
        if (now - lastDrawn >= interval) {
            lastDrawn = now;
            show(status(now));
        }
    }

    @Override
    public void onProgress(Progress progress) {
        result(resultLine.apply(progress));
    }

    /** Prints a result line on standard output, first clearing the live status line if one is shown. */
    void result(String line) {
        clear();
        console.out().println(line);
        console.out().flush();
    }

    /** Removes the live status line (call when training ends). */
    void finish() {
        clear();
    }

    /** {@link #finish()}: training ends with the try block. */
    @Override
    public void close() {
        finish();
    }

    /** The status text at time {@code now}. */
    String status(long now) {
        StringBuilder sb = new StringBuilder();
        if (unit == Unit.EPOCHS) {
            long epoch = done == 0 ? 1 : (done - 1) / perEpoch + 1;
            long batch = done == 0 ? 0 : (done - 1) % perEpoch + 1;
            sb.append("epoch ").append(epoch).append('/').append(Math.max(1, total / perEpoch))
                    .append("  batch ").append(batch).append('/').append(perEpoch);
        } else {
            sb.append("iteration ").append(done).append('/').append(total)
                    .append(" (").append(total == 0 ? 100 : done * 100 / total).append("%)");
        }
        sb.append("  loss ").append(Format.number(smoothedLoss));
        double seconds = (now - start) / 1e9;
        if (done > 0 && seconds > 0) {
            double rate = done / seconds;
            sb.append("  ").append(Format.rate(rate)).append(unit == Unit.EPOCHS ? " batches/s" : " it/s")
                    .append("  ETA ").append(Format.duration((total - done) / rate));
        } else {
            sb.append("  ETA --");
        }
        return sb.toString();
    }

    private void show(String text) {
        PrintWriter err = console.err();
        if (live) {
            err.print('\r');
            err.print(text);
            if (shownWidth > text.length()) {
                err.print(" ".repeat(shownWidth - text.length()));
            }
            shownWidth = Math.max(shownWidth, text.length());
        } else {
            err.println(text);
        }
        err.flush();
    }

    private void clear() {
        if (live && shownWidth > 0) {
            PrintWriter err = console.err();
            err.print('\r');
            err.print(" ".repeat(shownWidth));
            err.print('\r');
            err.flush();
            shownWidth = 0;
        }
    }
}
