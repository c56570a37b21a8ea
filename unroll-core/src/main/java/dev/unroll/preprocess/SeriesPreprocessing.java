package dev.unroll.preprocess;

import dev.unroll.data.Calendar;
import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The preprocessing of a model over time series, fitted on the training part of every series and
 * saved with the model. A target value {@code y} at position {@code p} of a series reaches the model
 * as
 * <pre>
 *   y′ = log y                              (optional; y must be positive)
 *   y″ = y′ without the series' season      ({@link SeasonalProfile} of period m, fitted per series
 *                                             when the M4 test finds it seasonal, or always, or never)
 *   z  = y″ / ℓ − 1          (divide)       ℓ: the window's level, y″ at its last observed step,
 *      = (y″ − ℓ) / σ        (subtract)        σ: the series' mean absolute step of y″ (training part)
 *      = (y″ − c) / s        (none)            c, s: a {@link Scaler} of the column over all series
 * </pre>
 * and forecasts {@code z} come back by the inverse steps. Normalizing each window by its own level
 * lets a model forecast levels it never saw in training (a trend that leaves the training range)
 * and lets one model serve many series of different sizes, as ES-RNN and DeepAR do.
 *
 * <p>Feature columns (covariates) are scaled by a {@link Scaler} fitted over all series; calendar
 * covariates are derived from the times ({@link Calendar}). Per-series fitted values — the
 * seasonal profile and σ of each target, and the position origin — are kept by series id; a series
 * not seen in training gets them fitted from the history it comes with.
 */
public final class SeriesPreprocessing implements Preprocessing {
    /** How each window's targets are normalized. */
    public enum Normalization {
        DIVIDE, SUBTRACT, NONE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Normalization parse(String id) {
            for (Normalization n : values()) {
                if (n.id().equalsIgnoreCase(id.trim())) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown normalization '" + id + "'; expected divide, subtract or none");
        }
    }

    /** When a seasonal profile is removed. */
    public enum Deseasonalize {
        AUTO, ALWAYS, NEVER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Deseasonalize parse(String id) {
            for (Deseasonalize d : values()) {
                if (d.id().equalsIgnoreCase(id.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown deseasonalize setting '" + id + "'; expected auto, always or never");
        }
    }

    /**
     * What to fit.
     *
     * @param targets       the columns forecast
     * @param features      covariate columns (known for the horizon too)
     * @param calendar      calendar covariates
     * @param season        the seasonal period m (1: none)
     * @param log           take logs of the targets first
     * @param normalization per-window normalization; null: divide when every training target value is positive (and no log), else subtract
     * @param deseasonalize when to remove a seasonal profile
     * @param levelSteps    a window's level is the mean of its last this many values (1: the last value)
     */
    public record Settings(List<String> targets, List<String> features, Set<Calendar> calendar, int season, boolean log,
                           Normalization normalization, Deseasonalize deseasonalize, int levelSteps) {
        public Settings {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("at least one target column is needed");
            }
            for (String f : features) {
                if (targets.contains(f)) {
                    throw new IllegalArgumentException("column '" + f + "' is both a target and a feature");
                }
            }
            if (season < 1) {
                throw new IllegalArgumentException("season must be at least 1, got " + season);
            }
            if (levelSteps < 1) {
                throw new IllegalArgumentException("level steps must be at least 1, got " + levelSteps);
            }
            targets = List.copyOf(targets);
            features = List.copyOf(features);
            calendar = calendar.isEmpty() ? EnumSet.noneOf(Calendar.class) : EnumSet.copyOf(calendar);
        }
    }

    /**
     * What was fitted for one series: the time of its position 0 and its step, and per target the
     * seasonal profile and the scale σ.
     */
    public record SeriesState(double anchor, TimeAxis.Step step, Map<String, SeasonalProfile> profiles, Map<String, Double> scales) {
    }

    private final Settings settings;
    private final Normalization normalization;
    private final Map<String, Scaler> featureScalers;
    private final Map<String, Scaler> targetScalers;
    private final Map<String, SeriesState> series;

    private SeriesPreprocessing(Settings settings, Normalization normalization, Map<String, Scaler> featureScalers,
                                Map<String, Scaler> targetScalers, Map<String, SeriesState> series) {
        this.settings = settings;
        this.normalization = normalization;
        this.featureScalers = featureScalers;
        this.targetScalers = targetScalers;
        this.series = series;
    }

    /** Fits on the training part of each series (every value given is training data). */
    public static SeriesPreprocessing fit(List<SeriesTable.Series> training, Settings settings) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("no series to fit the preprocessing on");
        }
        for (SeriesTable.Series s : training) {
            for (String t : settings.targets()) {
                for (float v : s.column(t)) {
                    if (settings.log() && !(v > 0)) {
                        throw new IllegalArgumentException("log transform: target '" + t + "' of series '" + s.id() + "' has the value " + v
                                + "; logs need positive values");
                    }
                }
            }
            if (!settings.calendar().isEmpty() && !s.time().isCalendar()) {
                throw new IllegalArgumentException("calendar covariates " + settings.calendar() + " need dates or date-times; series '"
                        + s.id() + "' has plain numbers as times");
            }
        }
        Normalization normalization = settings.normalization() != null ? settings.normalization()
                : !settings.log() && allPositive(training, settings.targets()) ? Normalization.DIVIDE : Normalization.SUBTRACT;
        if (normalization == Normalization.DIVIDE && !allPositive(training, settings.targets())) {
            throw new IllegalArgumentException("divide normalization needs positive targets; use subtract");
        }
        Map<String, Scaler> featureScalers = new LinkedHashMap<>();
        for (String f : settings.features()) {
            featureScalers.put(f, Scaler.fit(Scaler.Kind.STANDARD, training.stream().map(s -> s.column(f)).toList()));
        }
        SeriesPreprocessing partial = new SeriesPreprocessing(settings, normalization, featureScalers, Map.of(), Map.of());
        Map<String, SeriesState> states = new LinkedHashMap<>();
        for (SeriesTable.Series s : training) {
            states.put(s.id(), partial.fitSeries(s));
        }
        Map<String, Scaler> targetScalers = new LinkedHashMap<>();
        if (normalization == Normalization.NONE) {
            for (String t : settings.targets()) {
                List<float[]> columns = new ArrayList<>();
                for (SeriesTable.Series s : training) {
                    double[] v = partial.withoutSeason(s, t, states.get(s.id()));
                    float[] f = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        f[i] = (float) v[i];
                    }
                    columns.add(f);
                }
                targetScalers.put(t, Scaler.fit(Scaler.Kind.STANDARD, columns));
            }
        }
        return new SeriesPreprocessing(settings, normalization, featureScalers, targetScalers, states);
    }

    private static boolean allPositive(List<SeriesTable.Series> series, List<String> targets) {
        for (SeriesTable.Series s : series) {
            for (String t : targets) {
                for (float v : s.column(t)) {
                    if (!(v > 0)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Position 0 at the series' first time; per target its profile (on the logged values) and σ. */
    private SeriesState fitSeries(SeriesTable.Series s) {
        Map<String, SeasonalProfile> profiles = new LinkedHashMap<>();
        Map<String, Double> scales = new LinkedHashMap<>();
        for (String t : settings.targets()) {
            double[] v = logged(s.column(t));
            profiles.put(t, profileOf(v));
        }
        SeriesState state = new SeriesState(s.length() == 0 ? 0 : s.time().value(0), s.time().step(), profiles, scales);
        for (String t : settings.targets()) {
            double[] v = withoutSeason(s, t, state);
            double sum = 0;
            for (int i = 1; i < v.length; i++) {
                sum += Math.abs(v[i] - v[i - 1]);
            }
            double sigma = v.length > 1 ? sum / (v.length - 1) : 0;
            scales.put(t, sigma > 0 && Double.isFinite(sigma) ? sigma : 1.0);
        }
        return state;
    }

    private SeasonalProfile profileOf(double[] v) {
        int m = settings.season();
        boolean seasonal = switch (settings.deseasonalize()) {
            case NEVER -> false;
            case ALWAYS -> m > 1 && v.length >= 2 * m;
            case AUTO -> SeasonalProfile.isSeasonal(v, m);
        };
        if (!seasonal) {
            return SeasonalProfile.NONE;
        }
        boolean positive = true;
        for (double x : v) {
            positive &= x > 0;
        }
        // Logs turn a multiplicative season into an additive one.
        return SeasonalProfile.fit(v, m, positive && !settings.log());
    }

    private double[] logged(float[] column) {
        double[] v = new double[column.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = settings.log() ? Math.log(column[i]) : column[i];
        }
        return v;
    }

    private double[] withoutSeason(SeriesTable.Series s, String target, SeriesState state) {
        double[] v = logged(s.column(target));
        SeasonalProfile p = state.profiles().get(target);
        for (int i = 0; i < v.length; i++) {
            v[i] = p.remove(v[i], state.step().between(state.anchor(), s.time().value(i)));
        }
        return v;
    }

    public Settings settings() {
        return settings;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** Features per step the model sees: targets, features, two per calendar cycle. */
    public int stepFeatures() {
        return settings.targets().size() + settings.features().size() + 2 * settings.calendar().size();
    }

    /** The fitted values of a series, or null for a series not seen in training. */
    public SeriesState state(String id) {
        return series.get(id);
    }

    /** The ids of the series fitted on. */
    public List<String> seriesIds() {
        return List.copyOf(series.keySet());
    }

    /**
     * A series made ready for a model: its targets logged and deseasonalized, its features scaled,
     * its calendar covariates computed, with the fitted values of its id (or values fitted now from
     * its own rows, for a series not seen in training). Rows past {@code observed} hold only
     * covariates (the horizon of a forecast with known-future features).
     */
    public Prepared prepare(SeriesTable.Series s, int observed) {
        for (String c : settings.targets()) {
            s.column(c);
        }
        for (String c : settings.features()) {
            s.column(c);
        }
        SeriesState state = series.get(s.id());
        if (state == null) {
            state = fitSeries(s.head(observed));
        }
        return new Prepared(s, observed, state);
    }

    /** One series in the model's terms; see {@link #prepare}. */
    public final class Prepared {
        private final SeriesTable.Series source;
        private final int observed;
        private final SeriesState state;
        private final long[] positions;
        /** [target][row]: logged, deseasonalized; NaN past {@link #observed}. */
        private final double[][] targets;
        /** [row][feature and calendar]: scaled features, then calendar pairs. */
        private final float[][] covariates;

        private Prepared(SeriesTable.Series s, int observed, SeriesState state) {
            this.source = s;
            this.observed = observed;
            this.state = state;
            int n = s.length();
            positions = new long[n];
            for (int i = 0; i < n; i++) {
                positions[i] = state.step().between(state.anchor(), s.time().value(i));
            }
            targets = new double[settings.targets().size()][n];
            for (int k = 0; k < targets.length; k++) {
                String name = settings.targets().get(k);
                float[] raw = s.column(name);
                SeasonalProfile profile = state.profiles().get(name);
                for (int i = 0; i < n; i++) {
                    if (i >= observed) {
                        targets[k][i] = Double.NaN;
                        continue;
                    }
                    if (settings.log() && !(raw[i] > 0)) {
                        throw new IllegalArgumentException("log transform: target '" + name + "' of series '" + s.id() + "' has the value "
                                + raw[i] + " (line " + s.lines()[i] + "); logs need positive values");
                    }
                    double v = settings.log() ? Math.log(raw[i]) : raw[i];
                    targets[k][i] = profile.remove(v, positions[i]);
                }
            }
            int width = settings.features().size() + 2 * settings.calendar().size();
            covariates = new float[n][width];
            for (int i = 0; i < n; i++) {
                covariatesAt(i, s.time().value(i), covariates[i]);
            }
        }

        private void covariatesAt(int row, double time, float[] out) {
            int j = 0;
            for (String f : settings.features()) {
                out[j++] = (float) featureScalers.get(f).apply(source.column(f)[row]);
            }
            if (!settings.calendar().isEmpty()) {
                Calendar.encode(settings.calendar(), source.time().dateTimeOf(time), out, j);
            }
        }

        public SeriesTable.Series source() {
            return source;
        }

        /** Rows with target values. */
        public int observed() {
            return observed;
        }

        /** All rows, including those past {@link #observed} that hold only covariates. */
        public int rows() {
            return positions.length;
        }

        /** The deseasonalized (and logged) value of target {@code k} at a row. */
        public double target(int k, int row) {
            return targets[k][row];
        }

        /** The scaled features and calendar pairs at a row (a shared array: do not modify). */
        public float[] covariates(int row) {
            return covariates[row];
        }

        /**
         * The covariates a window ending at {@code origin} reads at {@code row} (which may lie past
         * the table: calendar pairs only), written into {@code out} from {@code at}: each feature
         * as its change since the origin — the window's level already holds what the covariates
         * were until then, as it holds the target's — and the calendar pairs as they are.
         */
        public void windowCovariates(int row, int origin, float[] out, int at) {
            float[] c = row < rows() ? covariates[row] : covariatesAfterEnd(row - rows() + 1);
            int features = settings.features().size();
            for (int j = 0; j < c.length; j++) {
                out[at + j] = j < features ? c[j] - covariates[origin][j] : c[j];
            }
        }

        /** Values a step's covariates take: features and calendar pairs. */
        public int covariateCount() {
            return settings.features().size() + 2 * settings.calendar().size();
        }

        /**
         * The level windows ending at {@code origin} are normalized by, for target {@code k}: the mean
         * of its last {@link Settings#levelSteps()} values up to the origin.
         */
        public double level(int k, int origin) {
            int from = Math.max(0, origin - settings.levelSteps() + 1);
            double sum = 0;
            for (int i = from; i <= origin; i++) {
                sum += targets[k][i];
            }
            return sum / (origin - from + 1);
        }

        /** A deseasonalized value in the model's terms, for a window of level {@code level}. */
        public float normalize(int k, double value, double level) {
            String name = settings.targets().get(k);
            return (float) switch (normalization) {
                case DIVIDE -> value / level - 1;
                case SUBTRACT -> (value - level) / state.scales().get(name);
                case NONE -> targetScalers.get(name).apply(value);
            };
        }

        /** The inverse of {@link #normalize}, the season put back at {@code position}, logs undone: the series' units. */
        public double denormalize(int k, double z, double level, long position) {
            String name = settings.targets().get(k);
            double value = switch (normalization) {
                case DIVIDE -> (z + 1) * level;
                case SUBTRACT -> z * state.scales().get(name) + level;
                case NONE -> targetScalers.get(name).invert(z);
            };
            double seasonal = state.profiles().get(name).restore(value, position);
            return settings.log() ? Math.exp(seasonal) : seasonal;
        }

        /** The position (steps from the series' position 0) of a row, or of a row past the table's end. */
        public long position(int row) {
            return row < positions.length ? positions[row] : positions[positions.length - 1] + (row - positions.length + 1);
        }

        /** Covariates for {@code k} steps after the last row (k ≥ 1): calendar only, so there must be no features. */
        public float[] covariatesAfterEnd(int k) {
            if (!settings.features().isEmpty()) {
                throw new IllegalStateException("features are needed for every step forecast: the table must hold them");
            }
            float[] out = new float[2 * settings.calendar().size()];
            if (!settings.calendar().isEmpty()) {
                Calendar.encode(settings.calendar(), source.time().dateTimeOf(source.time().after(k)), out, 0);
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ saving

    @Override
    public String kind() {
        return "series";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("targets", settings.targets());
        c.put("features", settings.features());
        c.put("calendar", settings.calendar().stream().map(Calendar::id).toList());
        c.put("season", settings.season());
        c.put("log", settings.log());
        c.put("normalization", normalization.id());
        c.put("deseasonalize", settings.deseasonalize().id());
        c.put("level_steps", settings.levelSteps());
        Map<String, Object> features = new LinkedHashMap<>();
        featureScalers.forEach((k, v) -> features.put(k, v.config()));
        c.put("feature_scalers", features);
        Map<String, Object> targetScaling = new LinkedHashMap<>();
        targetScalers.forEach((k, v) -> targetScaling.put(k, v.config()));
        c.put("target_scalers", targetScaling);
        Map<String, Object> all = new LinkedHashMap<>();
        series.forEach((id, s) -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("anchor", s.anchor());
            state.put("step", s.step().config());
            Map<String, Object> profiles = new LinkedHashMap<>();
            s.profiles().forEach((k, v) -> profiles.put(k, v.config()));
            state.put("profiles", profiles);
            state.put("scales", new LinkedHashMap<>(s.scales()));
            all.put(id, state);
        });
        c.put("series", all);
        return c;
    }

    static SeriesPreprocessing fromConfig(Map<String, Object> c) {
        Configs.requireKeys("series preprocessing", c, "targets", "features", "calendar", "season", "log", "normalization", "deseasonalize",
                "level_steps", "feature_scalers", "target_scalers", "series");
        Set<Calendar> calendar = EnumSet.noneOf(Calendar.class);
        for (String id : Configs.strings(c, "calendar")) {
            calendar.add(Calendar.parse(id));
        }
        Settings settings = new Settings(Configs.strings(c, "targets"), Configs.strings(c, "features"), calendar,
                Configs.integer(c, "season", 1, 1_000_000), Configs.bool(c, "log"), Normalization.parse(Configs.string(c, "normalization")),
                Deseasonalize.parse(Configs.string(c, "deseasonalize")), Configs.integer(c, "level_steps", 1, 1_000_000));
        Map<String, Scaler> featureScalers = scalers(Configs.object(c, "feature_scalers"), settings.features(), "feature");
        Normalization normalization = settings.normalization();
        Map<String, Scaler> targetScalers = scalers(Configs.object(c, "target_scalers"),
                normalization == Normalization.NONE ? settings.targets() : List.of(), "target");
        Map<String, SeriesState> states = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Configs.object(c, "series").entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("series preprocessing: series '" + e.getKey() + "' is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) e.getValue();
            Configs.requireKeys("series '" + e.getKey() + "'", s, "anchor", "step", "profiles", "scales");
            Map<String, SeasonalProfile> profiles = new LinkedHashMap<>();
            Map<String, Object> savedProfiles = Configs.object(s, "profiles");
            Map<String, Object> savedScales = Configs.object(s, "scales");
            Map<String, Double> scales = new LinkedHashMap<>();
            for (String t : settings.targets()) {
                profiles.put(t, SeasonalProfile.fromConfig(Configs.object(savedProfiles, t)));
                double sigma = Configs.number(savedScales, t);
                if (!(sigma > 0) || Double.isInfinite(sigma)) {
                    throw new IllegalArgumentException("series '" + e.getKey() + "': scale of '" + t + "' must be positive, got " + sigma);
                }
                scales.put(t, sigma);
            }
            double anchor = Configs.number(s, "anchor");
            states.put(e.getKey(), new SeriesState(anchor, TimeAxis.Step.fromConfig(Configs.object(s, "step")), profiles, scales));
        }
        return new SeriesPreprocessing(settings, normalization, featureScalers, targetScalers, states);
    }

    private static Map<String, Scaler> scalers(Map<String, Object> saved, List<String> columns, String what) {
        Map<String, Scaler> out = new LinkedHashMap<>();
        if (!saved.keySet().equals(new java.util.HashSet<>(columns))) {
            throw new IllegalArgumentException("series preprocessing: " + what + " scalers for " + saved.keySet() + ", expected " + columns);
        }
        for (String col : columns) {
            out.put(col, Scaler.fromConfig(Configs.object(saved, col)));
        }
        return out;
    }
}
