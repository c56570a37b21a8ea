package dev.unroll.forecast;

import dev.unroll.preprocess.SeriesPreprocessing;

/**
 * One forecast window: a prepared series, the row of its last observed step (the forecast
 * origin), and how many past steps up to it the model reads.
 *
 * @param series   the series, in the model's terms
 * @param origin   the row of the last step the model sees; the forecast is for the rows after it
 * @param lookback past steps read, ending at the origin (at least 1)
 */
public record Window(SeriesPreprocessing.Prepared series, int origin, int lookback) {
    public Window {
        if (lookback < 1 || origin - lookback + 1 < 0 || origin >= series.observed()) {
            throw new IllegalArgumentException("window of " + lookback + " steps ending at row " + origin + " does not fit the "
                    + series.observed() + " observed rows of series '" + series.source().id() + "'");
        }
    }

    /** The window ending at {@code origin}, as long as the task's lookback allows and the rows before it hold. */
    public static Window ending(SeriesPreprocessing.Prepared series, int origin, ForecastTask task) {
        return new Window(series, origin, Math.min(task.lookback(), origin + 1));
    }

    /** The first row read. */
    public int start() {
        return origin - lookback + 1;
    }
}
