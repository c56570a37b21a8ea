package dev.unroll.data;

import dev.unroll.tensor.Rng;

/**
 * The seed's generated time series (§11): {@code y(t) = t·sin(t)/3 + 2·sin(5t)}, sampled every
 * {@code resolution} time units within {@code [tMin, tMax]} ({@link #SEED}: {@code [0, 30]} every 0.1).
 *
 * <p>Everything reproduces the seed's NumPy code, computing in double precision and rounding to
 * float at the end, with its random draws taken from a seeded {@link Rng}:
 * <ul>
 *   <li>{@link #nextBatch}: the seed's {@code next_batch(batch_size, n_steps)}, random windows
 *       whose targets are the inputs shifted one step ahead;</li>
 *   <li>{@link #curve}: the whole series for plotting, {@code t = linspace(t_min, t_max,
 *       int((t_max - t_min) / resolution))};</li>
 *   <li>{@link #instanceTimes} and {@link #instance}: the seed's test instance
 *       {@code t_instance = linspace(12.2, 12.2 + resolution·(n_steps + 1), n_steps + 1)};</li>
 *   <li>{@link #values}: a run of consecutive values, to prime generation with real data (§14).</li>
 * </ul>
 */
public final class TimeSeries {
    /** The seed's series: t ∈ [0, 30], resolution 0.1. */
    public static final TimeSeries SEED = new TimeSeries(0, 30, 0.1);
    /** Where the seed's test instance {@code t_instance} starts. */
    public static final double SEED_INSTANCE_START = 12.2;

    private final double tMin;
    private final double tMax;
    private final double resolution;

    /** A series over {@code [tMin, tMax]} sampled every {@code resolution}. */
    public TimeSeries(double tMin, double tMax, double resolution) {
        if (!(tMax > tMin) || !(resolution > 0)) {
            throw new IllegalArgumentException("time series: need tMin < tMax and resolution > 0, got [" + tMin + ", "
                    + tMax + "] every " + resolution);
        }
        this.tMin = tMin;
        this.tMax = tMax;
        this.resolution = resolution;
    }

    /** The seed's function {@code y(t) = t·sin(t)/3 + 2·sin(5t)}. */
    public static double value(double t) {
        return t * Math.sin(t) / 3 + 2 * Math.sin(t * 5);
    }

    public double tMin() {
        return tMin;
    }

    public double tMax() {
        return tMax;
    }

    public double resolution() {
        return resolution;
    }

    /**
     * A batch of random training windows, as the seed's {@code next_batch(batch_size, n_steps)}: for each
     * instance one uniform draw {@code u} gives the start {@code t0 = tMin + u·(tMax − tMin −
     * steps·resolution)}; with {@code Ts = t0 + (0, 1, ..., steps)·resolution}, the inputs are
     * {@code y(Ts[:-1])} and the targets {@code y(Ts[1:])}, both {@code [batchSize, steps, 1]}.
     * (The seed writes {@code t0} without {@code tMin}, which is 0 there.)
     */
    public SequencePairs nextBatch(Rng rng, int batchSize, int steps) {
        if (batchSize < 1 || steps < 1) {
            throw new IllegalArgumentException("time series batch: need batch size and steps of at least 1, got "
                    + batchSize + " and " + steps);
        }
        double span = tMax - tMin - steps * resolution;
        if (span < 0) {
            throw new IllegalArgumentException("time series batch: a window of " + steps + " steps spans "
                    + steps * resolution + " time units, more than [" + tMin + ", " + tMax + "] holds");
        }
        // Each instance is one run of steps + 1 values, of which it is the only window.
        float[] runs = new float[batchSize * (steps + 1)];
        int[] starts = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            double t0 = tMin + rng.nextDouble() * span;
            starts[b] = b * (steps + 1);
            for (int i = 0; i <= steps; i++) {
                runs[starts[b] + i] = (float) value(t0 + i * resolution);
            }
        }
        return Windows.at(runs, steps, starts);
    }

    /**
     * The whole series for plotting, exactly the seed's {@code t = linspace(t_min, t_max,
     * int((t_max - t_min) / resolution))}: 300 points from 0 to 30 inclusive for {@link #SEED} (so
     * their spacing is 30/299, not quite the resolution).
     */
    public Curve curve() {
        double[] t = linspace(tMin, tMax, (int) ((tMax - tMin) / resolution));
        return new Curve(t, values(t));
    }

    /**
     * The seed's test-instance times {@code linspace(start, start + resolution·(steps + 1), steps + 1)}:
     * {@code steps + 1} points whose spacing is {@code resolution·(steps + 1)/steps} (0.105 for 20
     * steps), as in the seed.
     */
    public double[] instanceTimes(double start, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("time series instance: steps must be at least 1, got " + steps);
        }
        return linspace(start, start + resolution * (steps + 1), steps + 1);
    }

    /**
     * The seed's test instance as one pair {@code [1, steps, 1]}: inputs {@code y(t_instance[:-1])},
     * targets {@code y(t_instance[1:])}, with {@code t_instance} from {@link #instanceTimes}.
     */
    public SequencePairs instance(double start, int steps) {
        double[] t = instanceTimes(start, steps);
        float[] y = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            y[i] = (float) value(t[i]);
        }
        return Windows.all(y, steps);
    }

    /**
     * {@code count} consecutive values {@code y(start + i·resolution)}, e.g. 20 real values to start a
     * generation from (§14). The seed's own call passes {@code start = t_min + (t_max - t_min/3)},
     * which is 30 where the book meant {@code (t_max - t_min)/3 = 10}.
     */
    public float[] values(double start, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("time series values: count must not be negative, got " + count);
        }
        float[] y = new float[count];
        for (int i = 0; i < count; i++) {
            y[i] = (float) value(start + i * resolution);
        }
        return y;
    }

    private static double[] values(double[] t) {
        double[] y = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            y[i] = value(t[i]);
        }
        return y;
    }

    /** NumPy's {@code linspace(start, stop, num)}: {@code start + i·step}, the last point exactly {@code stop}. */
    static double[] linspace(double start, double stop, int num) {
        double[] t = new double[num];
        if (num == 1) {
            t[0] = start;
            return t;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            t[i] = i * step + start;
        }
        t[num - 1] = stop;
        return t;
    }

    /**
     * Points of the series for plotting.
     *
     * @param t the times
     * @param y the series at those times
     */
    public record Curve(double[] t, double[] y) {
    }
}
