package dev.unroll.forecast;

import dev.unroll.nn.CellType;
import dev.unroll.preprocess.SeriesPreprocessing;

/**
 * What a forecaster is: the preprocessing to fit, the windows it reads, its strategy and its
 * network, and how it is trained. Immutable; built with {@link #builder}.
 *
 * <pre>
 *   lookback L      past steps a window holds (at most; windows of at least minLookback steps are
 *                   used where the history is shorter)
 *   horizon H       steps forecast
 *   stride          steps between the origins of training windows
 * </pre>
 */
public final class ForecastSpec {
    private final SeriesPreprocessing.Settings preprocessing;
    private final int lookback;
    private final int minLookback;
    private final int horizon;
    private final int stride;
    private final Strategy strategy;
    private final boolean seasonalLag;
    private final CellType cell;
    private final int units;
    private final int layers;
    private final float dropout;
    private final boolean absoluteLoss;
    private final int epochs;
    private final int batch;
    private final double learningRate;
    private final int patience;
    private final int ensemble;
    private final long seed;

    private ForecastSpec(Builder b) {
        this.preprocessing = b.preprocessing;
        this.lookback = b.lookback;
        this.minLookback = b.minLookback > 0 ? b.minLookback : b.lookback;
        this.horizon = b.horizon;
        this.stride = b.stride;
        this.strategy = b.strategy;
        this.seasonalLag = b.seasonalLag;
        this.cell = b.cell;
        this.units = b.units;
        this.layers = b.layers;
        this.dropout = b.dropout;
        this.absoluteLoss = b.absoluteLoss;
        this.epochs = b.epochs;
        this.batch = b.batch;
        this.learningRate = b.learningRate;
        this.patience = b.patience;
        this.ensemble = b.ensemble;
        this.seed = b.seed;
    }

    public static Builder builder(SeriesPreprocessing.Settings preprocessing, int horizon) {
        return new Builder(preprocessing, horizon);
    }

    /** The settings of a forecaster; validated by {@link #build()}. */
    public static final class Builder {
        private final SeriesPreprocessing.Settings preprocessing;
        private final int horizon;
        private int lookback = -1;
        private int minLookback = -1;
        private int stride = 1;
        private Strategy strategy = Strategy.DIRECT;
        private boolean seasonalLag;
        private CellType cell = ForecastDefaults.CELL;
        private int units = ForecastDefaults.UNITS;
        private int layers = 1;
        private float dropout;
        private boolean absoluteLoss = true;
        private int epochs = ForecastDefaults.EPOCHS_WITH_VALIDATION;
        private int batch = ForecastDefaults.BATCH;
        private double learningRate = ForecastDefaults.LEARNING_RATE;
        private int patience = 10;
        private int ensemble = 1;
        private long seed = 42;

        private Builder(SeriesPreprocessing.Settings preprocessing, int horizon) {
            this.preprocessing = preprocessing;
            this.horizon = horizon;
        }

        /** Past steps per window (default: twice the larger of the horizon and the season). */
        public Builder lookback(int steps) {
            lookback = steps;
            return this;
        }

        /** Windows may hold as few past steps as this where the history is shorter (default: the lookback). */
        public Builder minLookback(int steps) {
            minLookback = steps;
            return this;
        }

        public Builder stride(int steps) {
            stride = steps;
            return this;
        }

        public Builder strategy(Strategy s) {
            strategy = s;
            return this;
        }

        /** Each step also reads the targets one season earlier (see {@link ForecastTask#seasonalLag()}). */
        public Builder seasonalLag(boolean on) {
            seasonalLag = on;
            return this;
        }

        /** The recurrent cell (default {@link ForecastDefaults#CELL}; units, batch and learning rate default to its siblings). */
        public Builder cell(CellType c) {
            cell = c;
            return this;
        }

        public Builder units(int n) {
            units = n;
            return this;
        }

        public Builder layers(int n) {
            layers = n;
            return this;
        }

        /** Dropout between stacked layers and before the head. */
        public Builder dropout(float rate) {
            dropout = rate;
            return this;
        }

        /** Train on the mean absolute error (default) or, if false, the mean squared error. */
        public Builder absoluteLoss(boolean on) {
            absoluteLoss = on;
            return this;
        }

        /** Passes over the training windows, at most (early stopping may end sooner). */
        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        public Builder batch(int n) {
            batch = n;
            return this;
        }

        public Builder learningRate(double lr) {
            learningRate = lr;
            return this;
        }

        /** Epochs without a better validation loss before training stops. */
        public Builder patience(int epochs) {
            patience = epochs;
            return this;
        }

        /**
         * Networks trained (seeds {@code seed, seed + 1, ...}) whose forecasts are averaged; default 1
         * (the command line's is {@link ForecastDefaults#ENSEMBLE}).
         */
        public Builder ensemble(int members) {
            ensemble = members;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public ForecastSpec build() {
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon must be at least 1 step, got " + horizon);
            }
            if (lookback < 0) {
                lookback = 2 * Math.max(horizon, preprocessing.season());
            }
            check("lookback", lookback, 1);
            if (minLookback > lookback) {
                throw new IllegalArgumentException("minimum lookback " + minLookback + " is more than the lookback " + lookback);
            }
            if (new ForecastTask(lookback, lookback, horizon, strategy, seasonalLag).readsHorizon(preprocessing)) {
                if (minLookback > 0 && minLookback < lookback) {
                    throw new IllegalArgumentException("a direct model that reads the horizon's covariates or seasonal lags reads full windows:"
                            + " the minimum lookback must equal the lookback " + lookback + ", got " + minLookback);
                }
                minLookback = lookback;
            }
            check("stride", stride, 1);
            check("units", units, 1);
            check("layers", layers, 1);
            check("epochs", epochs, 1);
            check("batch", batch, 1);
            check("patience", patience, 1);
            check("ensemble members", ensemble, 1);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            return new ForecastSpec(this);
        }

        private static void check(String what, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
            }
        }
    }

    public SeriesPreprocessing.Settings preprocessing() {
        return preprocessing;
    }

    public int lookback() {
        return lookback;
    }

    public int minLookback() {
        return minLookback;
    }

    public int horizon() {
        return horizon;
    }

    public int stride() {
        return stride;
    }

    public Strategy strategy() {
        return strategy;
    }

    public CellType cell() {
        return cell;
    }

    public int units() {
        return units;
    }

    public int layers() {
        return layers;
    }

    public float dropout() {
        return dropout;
    }

    public boolean absoluteLoss() {
        return absoluteLoss;
    }

    public int epochs() {
        return epochs;
    }

    public int batch() {
        return batch;
    }

    public double learningRate() {
        return learningRate;
    }

    public int patience() {
        return patience;
    }

    public int ensemble() {
        return ensemble;
    }

    public long seed() {
        return seed;
    }

    /** What prediction needs to know of this spec. */
    public ForecastTask task() {
        return new ForecastTask(lookback, minLookback, horizon, strategy, seasonalLag);
    }
}
