package dev.unroll.infer;

import java.util.Map;

/**
 * What a {@link Predictor} does to a caller's raw values before the model sees them, and to the
 * model's outputs before the caller does, so that callers send and receive values in their own
 * units. Saved with a model in its checkpoint's metadata and rebuilt from it
 * ({@link #fromMetadata}).
 *
 * <p>Implementations are immutable and safe to use from many threads at once. Values come as
 * {@code rows} rows of {@code features} values from {@code offset}; both methods work in place.
 */
public interface Preprocessing {
    /** No change: values go to the model and come back as they are. */
    Preprocessing NONE = new Identity();

    /** Turns raw input values into the model's units, in place. */
    void encode(float[] values, int offset, int rows, int features);

    /** Turns model outputs into the caller's units, in place. */
    void decode(float[] values, int offset, int rows, int features);

    /**
     * How many of the latest steps of a history the model reads to forecast (the window it was
     * trained on), or 0 for all of them.
     */
    default int window() {
        return 0;
    }

    /** This preprocessing, forecasting from the latest {@code window} steps of a history. */
    default Preprocessing withWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 step, got " + window);
        }
        return new Windowed(this, window);
    }

    /**
     * The preprocessing a checkpoint's metadata records, or {@link #NONE}. Today that is the
     * command line's forecaster entries ({@value Standardization#MEAN_KEY},
     * {@value Standardization#STD_KEY}, {@value Standardization#WINDOW_KEY}); invalid entries are
     * an error naming them.
     */
    static Preprocessing fromMetadata(Map<String, String> metadata) {
        Preprocessing p = Standardization.fromMetadata(metadata).map(s -> (Preprocessing) s).orElse(NONE);
        String window = metadata.get(Standardization.WINDOW_KEY);
        if (window == null) {
            return p;
        }
        try {
            return p.withWindow(Integer.parseInt(window.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + Standardization.WINDOW_KEY + " in the metadata: expected a positive"
                    + " number of steps, got '" + window + "'");
        }
    }

    /** {@link #NONE}. */
    final class Identity implements Preprocessing {
        private Identity() {
        }

        @Override
        public void encode(float[] values, int offset, int rows, int features) {
        }

        @Override
        public void decode(float[] values, int offset, int rows, int features) {
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** A preprocessing that forecasts from the latest {@code window} steps (see {@link #withWindow}). */
    record Windowed(Preprocessing values, int window) implements Preprocessing {
        @Override
        public void encode(float[] v, int offset, int rows, int features) {
            values.encode(v, offset, rows, features);
        }

        @Override
        public void decode(float[] v, int offset, int rows, int features) {
            values.decode(v, offset, rows, features);
        }

        @Override
        public Preprocessing withWindow(int w) {
            return values.withWindow(w);
        }

        @Override
        public String toString() {
            return values + ", window " + window;
        }
    }
}
