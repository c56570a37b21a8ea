package dev.unroll.cli;

import dev.unroll.data.Calendar;
import dev.unroll.data.MissingValues;
import dev.unroll.forecast.Strategy;
import dev.unroll.preprocess.SeriesPreprocessing;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code unroll forecast --csv}: which columns of the table are what, the forecast
 * asked for (horizon, season, lookback, strategy), the split by time, the preprocessing and the
 * ensemble. Unset options take the values of {@code dev.unroll.forecast.ForecastDefaults}.
 */
final class SeriesOptions {
    @Option(names = "--time", paramLabel = "COLUMN",
            description = "The time column: ISO dates, date-times or numbers (default: none, rows are numbered).")
    String time;

    @Option(names = {"--target", "--column"}, paramLabel = "COLUMN[,COLUMN...]", split = ",",
            description = "The column(s) to forecast, by header name (default: the first column other than --time and --series-id).")
    List<String> targets;

    @Option(names = "--features", paramLabel = "COLUMN[,COLUMN...]", split = ",",
            description = "Covariate columns, known for the horizon too: predict needs their values for the steps it forecasts.")
    List<String> features;

    @Option(names = "--series-id", paramLabel = "COLUMN",
            description = "A column naming the series, for many series in one file (long format): one model learns them all.")
    String seriesId;

    @Option(names = "--horizon", paramLabel = "H", description = "Steps to forecast (default: 1).")
    Integer horizon;

    @Option(names = "--season", paramLabel = "M", description = "The seasonal period in steps, e.g. 12 for monthly data (default: 1, none).")
    Integer season;

    @Option(names = "--lookback", paramLabel = "L",
            description = "Past steps each window reads (default: 2 × horizon, shorter for short series).")
    Integer lookback;

    @Option(names = "--strategy", paramLabel = "direct|recursive",
            description = "direct: all H steps at once; recursive: one step, fed back H times (default: direct).")
    Strategy strategy;

    @Option(names = "--holdout", paramLabel = "FRACTION",
            description = "The fraction of each series, at its end, kept for testing (default: 0.2, unless --test-last).")
    Double holdout;

    @Option(names = "--test-last", paramLabel = "N",
            description = "Keep the last N steps of each series for testing instead: one forecast from N steps before the end when N"
                    + " = --horizon (the M4 competition's protocol).")
    Integer testLast;

    @Option(names = "--validation-last", paramLabel = "N",
            description = "Steps before the test part used for early stopping (default: max(H, 10%%) when the data is large, else none).")
    Integer validationLast;

    @Option(names = "--missing", paramLabel = "error|drop|forward-fill|interpolate",
            description = "What to do with missing values (default: error).")
    MissingValues missing;

    @Option(names = "--calendar", paramLabel = "hour,weekday,month", split = ",",
            description = "Calendar covariates derived from --time, as sine/cosine pairs (default: none).")
    List<Calendar> calendar;

    @Option(names = "--log", description = "Take logs of the targets first (they must be positive).")
    boolean log;

    @Option(names = "--normalization", paramLabel = "divide|subtract|none",
            description = "How each window's targets are normalized by its level (default: divide for positive series, else subtract).")
    SeriesPreprocessing.Normalization normalization;

    @Option(names = "--deseasonalize", paramLabel = "auto|always|never",
            description = "Remove each series' seasonal profile: when the M4 test finds it seasonal, always, or never (default: auto).")
    SeriesPreprocessing.Deseasonalize deseasonalize;

    @Option(names = "--seasonal-lag", paramLabel = "true|false", arity = "1",
            description = "Each step also reads the value one season earlier (default: when the season is longer than the lookback).")
    Boolean seasonalLag;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs, at most (default: 40; 100 with early stopping).")
    Integer epochs;

    @Option(names = "--ensemble", paramLabel = "N", description = "Networks trained and averaged (default: 5).")
    Integer ensemble;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "10",
            description = "Epochs without a better validation loss before training stops (default: ${DEFAULT-VALUE}).")
    int patience;

    /** The options given that apply to a table only, for the error when there is no --csv. */
    List<String> given() {
        List<String> out = new ArrayList<>();
        add(out, "--time", time);
        add(out, "--features", features);
        add(out, "--series-id", seriesId);
        add(out, "--horizon", horizon);
        add(out, "--season", season);
        add(out, "--lookback", lookback);
        add(out, "--strategy", strategy);
        add(out, "--test-last", testLast);
        add(out, "--validation-last", validationLast);
        add(out, "--missing", missing);
        add(out, "--calendar", calendar);
        add(out, "--normalization", normalization);
        add(out, "--deseasonalize", deseasonalize);
        add(out, "--seasonal-lag", seasonalLag);
        add(out, "--epochs", epochs);
        add(out, "--ensemble", ensemble);
        if (log) {
            out.add("--log");
        }
        return out;
    }

    private static void add(List<String> out, String name, Object value) {
        if (value != null) {
            out.add(name);
        }
    }

    void validate(CommandSpec spec) {
        if (horizon != null) {
            Checks.between(spec, "--horizon", horizon, 1, SavedModel.MAX_WINDOW);
        }
        if (season != null) {
            Checks.between(spec, "--season", season, 1, SavedModel.MAX_WINDOW);
        }
        if (lookback != null) {
            Checks.between(spec, "--lookback", lookback, 1, SavedModel.MAX_WINDOW);
        }
        if (testLast != null) {
            Checks.between(spec, "--test-last", testLast, 1, SavedModel.MAX_WINDOW);
            if (holdout != null) {
                throw Checks.usage(spec, "--holdout and --test-last both say how much to test on; give one");
            }
        }
        if (holdout != null) {
            Checks.openFraction(spec, "--holdout", holdout);
        }
        if (validationLast != null) {
            Checks.between(spec, "--validation-last", validationLast, 0, SavedModel.MAX_WINDOW);
        }
        if (epochs != null) {
            Checks.between(spec, "--epochs", epochs, 1, 100_000);
        }
        if (ensemble != null) {
            Checks.between(spec, "--ensemble", ensemble, 1, 100);
        }
        Checks.between(spec, "--patience", patience, 1, 100_000);
        if (targets != null && features != null) {
            for (String f : features) {
                if (targets.contains(f)) {
                    throw Checks.usage(spec, "--features " + f + ": it is also a --target");
                }
            }
        }
        if (calendar != null && time == null) {
            throw Checks.usage(spec, "--calendar needs --time: calendar covariates come from the times");
        }
    }

    Set<Calendar> calendarSet() {
        return calendar == null || calendar.isEmpty() ? EnumSet.noneOf(Calendar.class) : EnumSet.copyOf(calendar);
    }
}
