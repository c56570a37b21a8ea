package dev.unroll.examples;

import dev.unroll.data.SeriesTable;
import dev.unroll.forecast.Backtest;
import dev.unroll.forecast.ForecastDefaults;
import dev.unroll.forecast.ForecastSpec;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.Split;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docs/forecasting.md's Java example: a monthly series from a CSV table forecast 18 steps ahead by
 * an ensemble of LSTMs, judged on its last 18 steps against Naive2, saved with its preprocessing,
 * loaded back and run past the end of the series. Run:
 * {@code unroll-examples/run TableForecasting --csv DIR/co2.csv} (DIR from
 * {@code ../shared/data/fetch-series DIR}: a {@code time} and a {@code value} column).
 */
public final class TableForecasting {
    static final String USAGE = "TableForecasting --csv FILE [--epochs N] [--ensemble N] [--out FILE]  (columns: time, value)";

    private TableForecasting() {
    }

    /** What the run measured: sMAPE and OWA on the held-out steps, and the forecast past the end. */
    public record Result(double smape, double owa, double[][] forecast) {
    }

    /** The defaults are the command line's: 40 epochs, 5 networks. */
    public record Settings(Path csv, int epochs, int ensemble, Path out) {
        static Settings read(Args a) {
            return new Settings(a.requiredPath("csv", "a CSV file with a 'time' and a 'value' column"),
                    a.positiveInt("epochs", ForecastDefaults.EPOCHS), a.positiveInt("ensemble", ForecastDefaults.ENSEMBLE),
                    a.path("out", Args.defaultOutput("forecaster.safetensors")));
        }
    }

    public static Result run(Settings settings, PrintStream out) throws IOException {
        String column = "value";
        SeriesTable table = SeriesTable.reader().time("time").columns(List.of(column)).read(settings.csv());
        List<SeriesTable.Series> series = table.series();
        int horizon = 18;
        int season = 12;

        // Targets, no covariates, no calendar, season 12, no logs; normalization and deseasonalizing
        // decided from the data (null, AUTO); a window's level is its last value.
        SeriesPreprocessing.Settings preprocessing = new SeriesPreprocessing.Settings(List.of(column), List.of(), Set.of(), season,
                false, null, SeriesPreprocessing.Deseasonalize.AUTO, 1);
        Split split = Split.last(horizon, 0);                                    // test: the last 18 steps
        ForecastSpec spec = ForecastSpec.builder(preprocessing, horizon)             // 64-unit LSTMs, MAE, Adam 0.003
                .lookback(ForecastDefaults.lookback(series, split, horizon))
                .epochs(settings.epochs()).ensemble(settings.ensemble()).seed(42).build();
        Forecaster forecaster = Forecaster.fit(series, split, spec, new TrainingListener() { }).forecaster();

        Backtest.Result test = Backtest.run(forecaster, series, split, season, 1);
        Map<String, Double> unroll = test.metrics().get(column).get("unroll").overall();
        out.printf("held-out %d steps: sMAPE %.3f, OWA %.3f (Naive2 = 1)%n", horizon, unroll.get("smape"), unroll.get("owa"));

        forecaster.save(settings.out(), Map.of());                               // model + preprocessing + task
        Forecaster loaded = Forecaster.load(settings.out());
        SeriesTable.Series s = series.get(0);
        double[][] next = loaded.forecastEnd(loaded.preprocessing().prepare(s, s.length()));  // [step][target], in the series units
        out.printf("next %d months: %.2f … %.2f%n", horizon, next[0][0], next[horizon - 1][0]);
        return new Result(unroll.get("smape"), unroll.get("owa"), next);
    }

    public static void main(String[] args) throws IOException {
        run(Args.parse(USAGE, args, Settings::read), System.out);
    }
}
