package dev.unroll.forecast;

import dev.unroll.preprocess.SeriesPreprocessing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a forecaster's definition that prediction needs (besides the network and its
 * preprocessing): the windows it reads and how it forecasts. Saved in a checkpoint's metadata under
 * {@link #METADATA_KEY}.
 *
 * @param lookback    past steps a window holds, at most
 * @param minLookback past steps a window holds, at least (a shorter history cannot be forecast)
 * @param horizon     steps forecast
 * @param strategy    direct or recursive
 * @param seasonalLag each step also reads each target one season (m steps) earlier, normalized as the
 *                    window: for a horizon step that is the seasonal naive forecast, given to the
 *                    model to use or correct
 */
public record ForecastTask(int lookback, int minLookback, int horizon, Strategy strategy, boolean seasonalLag) {
    /** Metadata key of the saved task. */
    public static final String METADATA_KEY = "unroll.task";
    private static final int VERSION = 1;

    public ForecastTask {
        if (horizon < 1 || lookback < 1 || minLookback < 1 || minLookback > lookback) {
            throw new IllegalArgumentException("forecast task: need horizon ≥ 1 and 1 ≤ min lookback ≤ lookback, got horizon " + horizon
                    + ", lookback " + lookback + ", min lookback " + minLookback);
        }
    }

    /**
     * True when the model reads what is known of the horizon — covariates, seasonal lags — as steps
     * after the history (direct models with either). Such a model outputs at every step and its
     * forecast is its output at the horizon's steps (each from the state that has read that step's
     * covariates), so its windows all hold the full lookback.
     */
    public boolean readsHorizon(SeriesPreprocessing.Settings s) {
        return strategy == Strategy.DIRECT && (s.features().size() + s.calendar().size() > 0 || lags(s));
    }

    /** True when steps carry seasonal lags: asked for, and the series have a season. */
    public boolean lags(SeriesPreprocessing.Settings s) {
        return seasonalLag && s.season() > 1;
    }

    /** True when the model outputs at every step (recursive, or reading the horizon), false when only from its final state. */
    public boolean perStepOutputs(SeriesPreprocessing.Settings s) {
        return strategy == Strategy.RECURSIVE || readsHorizon(s);
    }

    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "forecast");
        c.put("version", VERSION);
        c.put("lookback", lookback);
        c.put("min_lookback", minLookback);
        c.put("horizon", horizon);
        c.put("strategy", strategy.id());
        c.put("seasonal_lag", seasonalLag);
        return c;
    }

    public static ForecastTask fromConfig(Map<String, Object> c) {
        for (String key : c.keySet()) {
            if (!List.of("kind", "version", "lookback", "min_lookback", "horizon", "strategy", "seasonal_lag").contains(key)) {
                throw new IllegalArgumentException(METADATA_KEY + ": unknown key '" + key + "'");
            }
        }
        if (!"forecast".equals(c.get("kind")) || !(c.get("version") instanceof Long v) || v != VERSION) {
            throw new IllegalArgumentException(METADATA_KEY + ": expected kind forecast, version " + VERSION + "; got " + c.get("kind")
                    + ", " + c.get("version"));
        }
        if (!(c.get("strategy") instanceof String strategy)) {
            throw new IllegalArgumentException(METADATA_KEY + ": 'strategy' should be a string, got " + c.get("strategy"));
        }
        if (!(c.get("seasonal_lag") instanceof Boolean lag)) {
            throw new IllegalArgumentException(METADATA_KEY + ": 'seasonal_lag' should be true or false, got " + c.get("seasonal_lag"));
        }
        return new ForecastTask(integer(c, "lookback"), integer(c, "min_lookback"), integer(c, "horizon"), Strategy.parse(strategy), lag);
    }

    private static int integer(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof Long v) || v < 1 || v > 1_000_000) {
            throw new IllegalArgumentException(METADATA_KEY + ": '" + key + "' should be an integer in [1, 1000000], got " + c.get(key));
        }
        return (int) (long) v;
    }
}
