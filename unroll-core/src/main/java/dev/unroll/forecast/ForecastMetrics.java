package dev.unroll.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forecast errors as forecasters report them, over pairs of actual values {@code y} and forecasts
 * {@code ŷ}:
 * <pre>
 *   MAE    mean |y − ŷ|                     RMSE   sqrt(mean (y − ŷ)²)        MSE   mean (y − ŷ)²
 *   MAPE   100 · mean |y − ŷ| / |y|          sMAPE  200 · mean |y − ŷ| / (|y| + |ŷ|)     (M4's)
 *   MASE   MAE / scale, scale = mean |y(t) − y(t−m)| over the training part (in-sample seasonal naive)
 *   OWA    (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) / 2     (M4's overall weighted average)
 * </pre>
 * Terms whose denominator is 0 (MAPE at y = 0, sMAPE at y = ŷ = 0) are left out of the mean.
 */
public final class ForecastMetrics {
    private ForecastMetrics() {
    }

    /** Sums of the error terms over some points, added to one at a time; {@link #values} gives the metrics. */
    public static final class Accumulator {
        private double absolute;
        private double squared;
        private double percentage;
        private long percentageCount;
        private double symmetric;
        private long symmetricCount;
        private double scaled;
        private long count;

        /** One point; {@code scale} is its series' MASE scale. */
        public void add(double actual, double forecast, double scale) {
            double e = Math.abs(actual - forecast);
            absolute += e;
            squared += e * e;
            if (actual != 0) {
                percentage += e / Math.abs(actual);
                percentageCount++;
            }
            double s = Math.abs(actual) + Math.abs(forecast);
            if (s > 0) {
                symmetric += e / s;
                symmetricCount++;
            }
            scaled += e / scale;
            count++;
        }

        public long count() {
            return count;
        }

        /** mae, rmse, mse, mape, smape, mase (NaN where no point counted). */
        public Map<String, Double> values() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("mae", absolute / count);
            m.put("rmse", Math.sqrt(squared / count));
            m.put("mse", squared / count);
            m.put("mape", percentageCount == 0 ? Double.NaN : 100 * percentage / percentageCount);
            m.put("smape", symmetricCount == 0 ? Double.NaN : 200 * symmetric / symmetricCount);
            m.put("mase", scaled / count);
            return m;
        }
    }

    /**
     * MASE's scale for a series: the mean absolute seasonal difference of its training part (lag m;
     * lag 1 when m &lt; 2 or the part is shorter than m + 1); 1 when that is 0 (a constant series).
     */
    public static double maseScale(double[] training, int m) {
        int lag = m >= 2 && training.length > m ? m : 1;
        double sum = 0;
        int n = 0;
        for (int t = lag; t < training.length; t++) {
            sum += Math.abs(training[t] - training[t - lag]);
            n++;
        }
        double scale = n == 0 ? 0 : sum / n;
        return scale > 0 ? scale : 1;
    }

    /** M4's OWA of a method against Naive2 on the same points. */
    public static double owa(Map<String, Double> method, Map<String, Double> naive2) {
        return (method.get("smape") / naive2.get("smape") + method.get("mase") / naive2.get("mase")) / 2;
    }
}
