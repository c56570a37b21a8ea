package dev.unroll.forecast;

import dev.unroll.data.SeriesTable;
import dev.unroll.nn.CellType;
import java.util.List;

/**
 * The one default configuration — the same rule for every data set, derived from the horizon H,
 * the season m and the sizes of the series, never tuned to one series:
 * <ul>
 *   <li><b>lookback</b> {@code 2H}, shortened where the shortest training part would otherwise hold
 *       fewer than 10 windows; when the season is longer than the lookback, each step also reads the
 *       value one season earlier (the {@linkplain ForecastTask#seasonalLag() seasonal lag}), which is
 *       what the window cannot show;</li>
 *   <li><b>validation</b> only for data large enough to spare it (at least 1,000 training windows in
 *       all): then the last {@code max(H, 10%)} steps of each series before its test part, with early
 *       stopping (up to 100 epochs, patience 10); otherwise 40 epochs on all the training data;</li>
 *   <li><b>stride</b> between training windows so that there are about 1,000 of them at most;</li>
 *   <li><b>network</b>: an ensemble of 5 one-layer LSTMs of 64 units, trained on the mean absolute
 *       error with Adam (learning rate 0.003, batches of 32).</li>
 * </ul>
 * These were chosen on the real series of {@code tools/forecast_benchmark} (see
 * {@code docs/forecasting.md}, which reports what each choice did there).
 */
public final class ForecastDefaults {
    /** Training windows below which no validation part is held out. */
    static final int VALIDATION_WINDOWS = 1000;
    /** Training windows a default stride aims at. */
    static final int WINDOWS = 1000;
    /** Windows the shortest series should give at the default lookback. */
    static final int MIN_WINDOWS = 10;
    public static final CellType CELL = CellType.LSTM;
    public static final int UNITS = 64;
    public static final double LEARNING_RATE = 0.003;
    public static final int BATCH = 32;
    public static final int ENSEMBLE = 5;
    public static final int EPOCHS = 40;
    public static final int EPOCHS_WITH_VALIDATION = 100;

    private ForecastDefaults() {
    }

    /** The default lookback for these series, with {@code test} steps held out of each (as the split cuts them). */
    public static int lookback(List<SeriesTable.Series> series, Split split, int horizon) {
        int shortest = Integer.MAX_VALUE;
        for (SeriesTable.Series s : series) {
            shortest = Math.min(shortest, split.bounds(s.length()).validationEnd());
        }
        return Math.max(1, Math.min(2 * horizon, shortest - horizon - MIN_WINDOWS + 1));
    }

    /** Whether steps read the seasonal lag: when the season is longer than the window. */
    public static boolean seasonalLag(int season, int lookback) {
        return season > lookback;
    }

    /** Direct training windows of series whose training parts end at {@code trainingSteps}: origins with L steps before and H after. */
    public static long windows(List<SeriesTable.Series> series, Split split, int lookback, int horizon) {
        long n = 0;
        for (SeriesTable.Series s : series) {
            n += Math.max(0, split.bounds(s.length()).validationEnd() - lookback - horizon + 1);
        }
        return n;
    }

    /**
     * The split with the default validation part: {@code max(H, 10%)} steps of each series when the
     * data has at least {@value #VALIDATION_WINDOWS} training windows, none otherwise.
     */
    public static Split withValidation(List<SeriesTable.Series> series, Split split, int lookback, int horizon) {
        if (windows(series, split, lookback, horizon) < VALIDATION_WINDOWS) {
            return new Split(split.test(), split.testFraction(), 0, 0);
        }
        int longest = series.stream().mapToInt(SeriesTable.Series::length).max().orElse(0);
        return new Split(split.test(), split.testFraction(), Math.max(horizon, (int) Math.round(0.1 * longest)), 0);
    }

    /** A stride giving about {@value #WINDOWS} training windows. */
    public static int stride(List<SeriesTable.Series> series, Split split, int lookback, int horizon) {
        return (int) Math.max(1, windows(series, split, lookback, horizon) / WINDOWS);
    }
}
