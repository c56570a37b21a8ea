package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.train.Progress;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private static final long MS = 1_000_000L;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private long now;

    private ProgressReporter reporter(boolean terminal, ProgressReporter.Unit unit, long intervalNanos) {
        return new ProgressReporter(Console.of(out, err, terminal), unit, p -> "period " + p.epoch() + " done", () -> now,
                terminal, intervalNanos);
    }

    private static Progress progress(int period) {
        return new Progress(period, period * 10L, 0.5, Map.of(), Double.NaN, Map.of(), 0.001, 1.0);
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAndClearedBeforeResults() {
        ProgressReporter p = reporter(true, ProgressReporter.Unit.ITERATIONS, 100 * MS);
        p.onStart(20, 10);
        for (int i = 1; i <= 10; i++) {
            now += 50 * MS;
            p.onStep(i, 1.0);
        }
        p.onProgress(progress(1));
        for (int i = 11; i <= 20; i++) {
            now += 50 * MS;
            p.onStep(i, 0.5);
        }
        p.finish();

        String e = err.toString();
        assertFalse(e.contains("\n"), "one line, never a new one: " + e);
        assertFalse(e.contains("\u001b"), "no escape codes: " + e);
        // Drawn every 100 ms: at steps 2, 4, ..., 20.
        assertEquals(10, e.split("\r(?=iteration)", -1).length - 1, e);
        assertTrue(e.contains("\riteration 2/20 (10%)  loss 1.000  20.0 it/s  ETA 1s"), e);
        assertTrue(e.contains("\riteration 20/20 (100%)"), e);
        // Cleared (overwritten with spaces) before the result line and at the end.
        String blank = "\r" + " ".repeat("iteration 10/20 (50%)  loss 1.000  20.0 it/s  ETA 1s".length()) + "\r";
        assertTrue(e.contains(blank), e);
        assertTrue(e.endsWith("\r"), e);
        assertEquals("period 1 done\n", out.toString().replace("\r\n", "\n"));
    }

    @Test
    void offATerminalPlainLinesAtIntervalsWithoutCarriageReturns() {
        ProgressReporter p = reporter(false, ProgressReporter.Unit.EPOCHS, 10_000 * MS);
        p.onStart(40, 20);
        for (int i = 1; i <= 40; i++) {
            now += 1_000 * MS;
            p.onStep(i, 2.0);
            if (i % 20 == 0) {
                p.onProgress(progress(i / 20));
            }
        }
        p.finish();

        String e = err.toString();
        assertFalse(e.contains("\r"), e);
        assertFalse(e.contains("\u001b"), e);
        List<String> lines = e.lines().toList();
        assertEquals(List.of(
                "epoch 1/2  batch 10/20  loss 2.000  1.00 batches/s  ETA 30s",
                "epoch 1/2  batch 20/20  loss 2.000  1.00 batches/s  ETA 20s",
                "epoch 2/2  batch 10/20  loss 2.000  1.00 batches/s  ETA 10s",
                "epoch 2/2  batch 20/20  loss 2.000  1.00 batches/s  ETA 0s"), lines);
        assertEquals(List.of("period 1 done", "period 2 done"), out.toString().lines().toList());
    }

    @Test
    void lossIsSmoothedAndEtaUnknownBeforeTheFirstStep() {
        ProgressReporter p = reporter(false, ProgressReporter.Unit.ITERATIONS, 1);
        p.onStart(100, 10);
        assertEquals("iteration 0/100 (0%)  loss -  ETA --", p.status(now));
        now += 10 * MS;
        p.onStep(1, 1.0);
        now += 10 * MS;
        p.onStep(2, 0.0);
        // Exponential moving average with weight 0.1 on the new loss.
        assertTrue(err.toString().lines().toList().get(1).startsWith("iteration 2/100 (2%)  loss 0.9000  100 it/s  ETA 1s"), err::toString);
    }

    @Test
    void formats() {
        assertEquals("0.01234", Format.number(0.012344));
        assertEquals("1.235", Format.number(1.2345));
        assertEquals("1235", Format.number(1234.5));
        assertEquals("1.234e-06", Format.number(1.234e-6));
        assertEquals("-", Format.number(Double.NaN));
        assertEquals("7s", Format.duration(7.2));
        assertEquals("1m05s", Format.duration(65));
        assertEquals("2h03m", Format.duration(2 * 3600 + 3 * 60 + 10));
        assertEquals("--", Format.duration(Double.POSITIVE_INFINITY));
        assertEquals("0.042 s", Format.seconds(0.0424));
        assertEquals("12.3 s", Format.seconds(12.34));
        assertEquals("10,401", Format.count(10401));
    }
}
