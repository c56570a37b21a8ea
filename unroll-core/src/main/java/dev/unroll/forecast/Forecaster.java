package dev.unroll.forecast;

import dev.unroll.data.SeriesTable;
import dev.unroll.io.Checkpoint;
import dev.unroll.io.Json;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Ensemble;
import dev.unroll.nn.Init;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StepProgram;
import dev.unroll.nn.StreamingModel;
import dev.unroll.optim.Adam;
import dev.unroll.preprocess.Preprocessing;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.BestWeights;
import dev.unroll.train.Callback;
import dev.unroll.train.EarlyStopping;
import dev.unroll.train.Loss;
import dev.unroll.train.Progress;
import dev.unroll.train.SequenceDataset;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recurrent network that forecasts series H steps ahead, with the preprocessing it was trained
 * with: built by {@link #fit}, saved as one checkpoint ({@link #save}: the network's parameters,
 * the {@link SeriesPreprocessing} and the {@link ForecastTask} in its metadata), loaded by
 * {@link #load}, and asked for forecasts in the series' own units ({@link #forecast}).
 *
 * <p>The network is a {@link Recurrent} layer over the window and a {@link Dense} head: for the
 * {@linkplain Strategy#DIRECT direct} strategy the head maps the final state to all H values per
 * target; for the {@linkplain Strategy#RECURSIVE recursive} one it maps every step's output to the
 * next step's values, and a forecast feeds each value back as the next input (on the carried state,
 * {@link StreamingModel}). The head starts at zero, so an untrained model forecasts each window's
 * level — the naive forecast of the deseasonalized series, Naive2 — and training learns what to add.
 *
 * <p>A forecaster is immutable and safe to use from many threads at once: the networks' weights
 * are packed for stepping when it is built (so later changes to the model's parameters are not
 * seen: build a new forecaster), and each {@link #forecast} call steps them on buffers of its own.
 */
public final class Forecaster {
    private final Layer model;
    private final List<Sequential> members;
    /** The members packed for stepping, once. */
    private final List<StepProgram> programs;
    private final SeriesPreprocessing preprocessing;
    private final ForecastTask task;

    /** A forecaster of a network ({@link Sequential}) or of several averaged ({@link Ensemble}). */
    public Forecaster(Layer model, SeriesPreprocessing preprocessing, ForecastTask task) {
        this.members = model instanceof Ensemble e ? e.members() : model instanceof Sequential s ? List.of(s) : List.of();
        if (members.isEmpty()) {
            throw new IllegalArgumentException("forecaster: the model must be sequential or an ensemble of sequential models, got " + model);
        }
        Sequential first = members.get(0);
        int width = WindowTensors.stepWidth(task, preprocessing);
        if (!(first.layers().get(0) instanceof Recurrent r) || r.inputSize() != width) {
            throw new IllegalArgumentException("forecaster: the model must start with a recurrent layer of " + width + " inputs per step, got "
                    + first);
        }
        int outputs = (task.perStepOutputs(preprocessing.settings()) ? 1 : task.horizon()) * preprocessing.settings().targets().size();
        if (!(first.layers().get(first.layers().size() - 1) instanceof Dense d) || d.outputSize() != outputs) {
            throw new IllegalArgumentException("forecaster: the model must end with a dense layer of " + outputs + " outputs, got " + first);
        }
        this.model = model;
        this.programs = members.stream().map(StepProgram::of).toList();
        this.preprocessing = preprocessing;
        this.task = task;
    }

    /** The network, or the ensemble of networks. */
    public Layer model() {
        return model;
    }

    /** The networks: one, or the ensemble's members. */
    public List<Sequential> members() {
        return members;
    }

    public SeriesPreprocessing preprocessing() {
        return preprocessing;
    }

    public ForecastTask task() {
        return task;
    }

    // ------------------------------------------------------------------ training

    /**
     * What {@link #fit} did: the forecaster, the training history (every member's, one after the
     * other) and the last member's best validation epoch (0 without validation).
     */
    public record Fit(Forecaster forecaster, List<Progress> history, int bestEpoch, int trainingWindows, int validationWindows) {
    }

    /**
     * Fits the preprocessing on the training part of every series (as {@code split} cuts it), then
     * trains a network on the training windows of all of them, with early stopping on the
     * validation windows when there are any (keeping the best epoch's parameters).
     */
    public static Fit fit(List<SeriesTable.Series> series, Split split, ForecastSpec spec, TrainingListener listener) {
        ForecastTask task = spec.task();
        List<SeriesTable.Series> training = new ArrayList<>();
        List<Split.Bounds> bounds = new ArrayList<>();
        int needed = task.minLookback() + (task.strategy() == Strategy.DIRECT ? task.horizon() : 1);
        for (SeriesTable.Series s : series) {
            Split.Bounds b = split.bounds(s.length());
            if (b.trainEnd() < needed) {
                throw new IllegalArgumentException("series '" + s.id() + "': its training part has " + b.trainEnd() + " of its " + s.length()
                        + " steps; a training window needs " + needed + " (" + task.minLookback() + " past steps and "
                        + (task.strategy() == Strategy.DIRECT ? task.horizon() + " to forecast" : "the next one")
                        + "); shorten the lookback, the horizon or the held-out parts");
            }
            bounds.add(b);
            training.add(s.head(b.trainEnd()));
        }
        SeriesPreprocessing preprocessing = SeriesPreprocessing.fit(training, spec.preprocessing());
        List<Window> trainWindows = new ArrayList<>();
        List<Window> validationWindows = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            SeriesPreprocessing.Prepared p = preprocessing.prepare(series.get(i), series.get(i).length());
            Split.Bounds b = bounds.get(i);
            trainWindows.addAll(origins(p, task, task.minLookback() - 1, b.trainEnd() - 1, spec.stride()));
            validationWindows.addAll(origins(p, task, b.trainEnd() - 1, b.validationEnd() - 1, 1));
        }
        SequenceDataset train = dataset(trainWindows, task, preprocessing);
        SequenceDataset validation = validationWindows.isEmpty() ? null : dataset(validationWindows, task, preprocessing);
        Loss loss = spec.absoluteLoss() ? Loss.meanAbsoluteError() : Loss.meanSquaredError();
        if (task.readsHorizon(preprocessing.settings())) {
            loss = loss.onSteps(task.lookback(), task.lookback() + task.horizon());
        }
        List<Sequential> networks = new ArrayList<>();
        List<Progress> history = new ArrayList<>();
        int bestEpoch = 0;
        for (int member = 0; member < spec.ensemble(); member++) {
            long seed = spec.seed() + member;
            Sequential network = network(spec, preprocessing, seed);
            BestWeights best = new BestWeights(network);
            List<Callback> callbacks = validation == null ? List.of() : List.of(best, new EarlyStopping(spec.patience(), 0));
            Trainer trainer = Trainer.builder(network, loss, new Adam(network, spec.learningRate()))
                    .batchSize(spec.batch()).epochs(spec.epochs()).seed(seed).listener(listener)
                    .callbacks(callbacks.toArray(Callback[]::new)).build();
            history.addAll(trainer.fit(train, validation));
            best.restore();
            bestEpoch = best.bestEpoch();
            networks.add(network);
        }
        Layer model = networks.size() == 1 ? networks.get(0) : new Ensemble(networks);
        return new Fit(new Forecaster(model, preprocessing, task), history, bestEpoch, trainWindows.size(), validationWindows.size());
    }

    /**
     * The windows whose origin lies in {@code [first, last]}, every {@code stride} steps back from
     * {@code last}, whose targets are observed within {@code last + 1 + horizon} rows.
     */
    private static List<Window> origins(SeriesPreprocessing.Prepared p, ForecastTask task, int first, int last, int stride) {
        int ahead = task.strategy() == Strategy.DIRECT ? task.horizon() : 1;
        List<Window> out = new ArrayList<>();
        int lastOrigin = last - ahead;
        for (int o = lastOrigin; o >= Math.max(first, task.minLookback() - 1); o -= stride) {
            out.add(Window.ending(p, o, task));
        }
        return out;
    }

    private static Sequential network(ForecastSpec spec, SeriesPreprocessing preprocessing, long seed) {
        ForecastTask task = spec.task();
        Rng rng = new Rng(seed);
        boolean perStep = task.perStepOutputs(preprocessing.settings());
        int targets = preprocessing.settings().targets().size();
        Recurrent recurrent = Recurrent.builder(spec.cell(), WindowTensors.stepWidth(task, preprocessing), spec.units())
                .layers(spec.layers()).dropoutBetweenLayers(spec.dropout()).returnSequences(perStep).rng(rng).build();
        Dense head = new Dense(spec.units(), (perStep ? 1 : task.horizon()) * targets, dev.unroll.kernel.Activation.IDENTITY,
                Init.zeros(), Init.zeros(), rng);
        return Sequential.of(recurrent, head);
    }

    private static SequenceDataset dataset(List<Window> windows, ForecastTask task, SeriesPreprocessing preprocessing) {
        int[] lengths = new int[windows.size()];
        Tensor x = WindowTensors.inputs(windows, task, preprocessing, lengths);
        int targets = preprocessing.settings().targets().size();
        Tensor y = task.strategy() == Strategy.DIRECT
                ? WindowTensors.directTargets(windows, task.horizon(), targets, task.perStepOutputs(preprocessing.settings()))
                : WindowTensors.nextStepTargets(windows, targets, x.dim(1));
        SequenceDataset d = SequenceDataset.regression(x, y);
        int[] padded = WindowTensors.lengthsIfPadded(lengths, x);
        return padded == null ? d : d.withLengths(padded);
    }

    // ------------------------------------------------------------------ forecasting

    /**
     * Forecasts for each window: {@code [window][step][target]}, in the series' units, for the H
     * rows after each window's origin.
     */
    public double[][][] forecast(List<Window> windows) {
        if (windows.isEmpty()) {
            return new double[0][][];
        }
        float[][] z = normalizedForecasts(windows);
        int h = task.horizon();
        int targets = preprocessing.settings().targets().size();
        double[][][] out = new double[windows.size()][h][targets];
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            SeriesPreprocessing.Prepared p = w.series();
            for (int s = 0; s < h; s++) {
                for (int k = 0; k < targets; k++) {
                    out[i][s][k] = p.denormalize(k, z[i][s * targets + k], p.level(k, w.origin()), p.position(w.origin() + 1 + s));
                }
            }
        }
        return out;
    }

    /** The forecast of the H steps after the last observed one of a prepared series. */
    public double[][] forecastEnd(SeriesPreprocessing.Prepared p) {
        return forecast(List.of(endWindow(p)))[0];
    }

    /** The window ending at a prepared series' last observed step, as long as the lookback allows. */
    public Window endWindow(SeriesPreprocessing.Prepared p) {
        int origin = p.observed() - 1;
        if (p.observed() < task.minLookback()) {
            throw new IllegalArgumentException("series '" + p.source().id() + "' has " + p.observed() + " observed steps; the forecaster reads"
                    + " at least " + task.minLookback());
        }
        if (!preprocessing.settings().features().isEmpty() && p.rows() < p.observed() + task.horizon()) {
            throw new IllegalArgumentException("series '" + p.source().id() + "': forecasting " + task.horizon() + " steps needs the features "
                    + preprocessing.settings().features() + " for each of them, in rows after the last value of the target; the table has "
                    + (p.rows() - p.observed()));
        }
        return Window.ending(p, origin, task);
    }


    /**
     * Normalized forecasts {@code [window][H·K]}, step-major. Every strategy runs the network step
     * by step on its carried state ({@link StreamingModel}), windows of one length together: a
     * direct model's forecast is its output after the last step (or at the horizon's steps, when it
     * reads them); a recursive one's is its output after the history, then after each forecast fed
     * back with the next step's covariates. So a forecaster and a {@link StreamingModel} of its
     * network give the same bits.
     */
    private float[][] normalizedForecasts(List<Window> windows) {
        SeriesPreprocessing.Settings settings = preprocessing.settings();
        int targets = settings.targets().size();
        int season = task.lags(settings) ? settings.season() : 0;
        int h = task.horizon();
        boolean readsHorizon = task.readsHorizon(settings);
        float[][] out = new float[windows.size()][h * targets];
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < windows.size(); i++) {
            byLength.computeIfAbsent(windows.get(i).lookback(), l -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byLength.values()) {
            List<Window> ws = group.stream().map(windows::get).toList();
            int n = ws.size();
            int[] lengths = new int[n];
            Tensor x = WindowTensors.inputs(ws, task, preprocessing, lengths);
            int steps = x.dim(1);
            int width = x.dim(2);
            int history = ws.get(0).lookback();
            Streams stream = new Streams(programs, n);
            float[] step = new float[n * width];
            float[] y = null;
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x.data(), (i * steps + t) * width, step, i * width, width);
                }
                y = stream.step(step);
                if (readsHorizon && t >= history) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(y, i * targets, out[group.get(i)], (t - history) * targets, targets);
                    }
                }
            }
            if (readsHorizon) {
                continue;
            }
            if (task.strategy() == Strategy.DIRECT) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(y, i * h * targets, out[group.get(i)], 0, h * targets);
                }
                continue;
            }
            for (int s = 0; s < h; s++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(y, i * targets, out[group.get(i)], s * targets, targets);
                }
                if (s + 1 == h) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    Window w = ws.get(i);
                    SeriesPreprocessing.Prepared p = w.series();
                    int row = w.origin() + 1 + s;
                    System.arraycopy(y, i * targets, step, i * width, targets);
                    p.windowCovariates(row, w.origin(), step, i * width + targets);
                    int covariates = p.covariateCount();
                    if (season > 0) {
                        // One season back: an observed value, or a forecast this loop made.
                        int lagged = row - season;
                        for (int k = 0; k < targets; k++) {
                            step[i * width + targets + covariates + k] = lagged < 0 ? 0f : lagged <= w.origin()
                                    ? p.normalize(k, p.target(k, lagged), p.level(k, w.origin()))
                                    : out[group.get(i)][(lagged - w.origin() - 1) * targets + k];
                        }
                    }
                }
                y = stream.step(step);
            }
        }
        return out;
    }

    /** The members stepped together, their outputs averaged: an ensemble's streaming model. */
    private static final class Streams {
        private final List<StreamingModel> streams = new ArrayList<>();
        private final float[] mean;

        Streams(List<StepProgram> members, int batch) {
            for (StepProgram m : members) {
                streams.add(new StreamingModel(m, batch));
            }
            mean = new float[batch * streams.get(0).outputSize()];
        }

        float[] step(float[] x) {
            if (streams.size() == 1) {
                return streams.get(0).step(x);
            }
            // As Ensemble.forward computes it (sum in member order, then scale), to the same bits.
            System.arraycopy(streams.get(0).step(x), 0, mean, 0, mean.length);
            for (int m = 1; m < streams.size(); m++) {
                float[] y = streams.get(m).step(x);
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += y[i];
                }
            }
            float scale = 1f / streams.size();
            for (int i = 0; i < mean.length; i++) {
                mean[i] *= scale;
            }
            return mean;
        }
    }

    // ------------------------------------------------------------------ saving

    /** The checkpoint metadata entries that describe this forecaster besides its network. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>(preprocessing.toMetadata());
        m.put(ForecastTask.METADATA_KEY, Json.write(task.config()));
        return m;
    }

    /** Saves the network with the preprocessing and task (and {@code extra} metadata), atomically. */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, String> m = new LinkedHashMap<>(metadata());
        m.putAll(extra);
        Checkpoint.save(model, file, m);
    }

    /** A forecaster from a loaded checkpoint, or an error saying what it lacks. */
    public static Forecaster of(Checkpoint.Loaded loaded, String where) throws IOException {
        String task = loaded.metadata().get(ForecastTask.METADATA_KEY);
        if (task == null) {
            throw new IOException(where + ": not a forecaster (no '" + ForecastTask.METADATA_KEY + "' in its metadata)");
        }
        try {
            Preprocessing p = Preprocessing.fromMetadata(loaded.metadata());
            if (!(p instanceof SeriesPreprocessing sp)) {
                throw new IllegalArgumentException("no series preprocessing in its metadata");
            }
            return new Forecaster(loaded.model(), sp, ForecastTask.fromConfig(Json.parseObject(task)));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": invalid forecaster: " + e.getMessage(), e);
        }
    }

    /** Loads a forecaster saved by {@link #save}. */
    public static Forecaster load(Path file) throws IOException {
        return of(Checkpoint.read(file), file.toString());
    }
}
