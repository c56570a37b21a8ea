package dev.unroll.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.Calendar;
import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Ensemble;
import dev.unroll.nn.Sequential;
import dev.unroll.nn.StreamingModel;
import dev.unroll.preprocess.SeriesPreprocessing;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.TrainingListener;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecasterTest {
    private static final TrainingListener QUIET = new TrainingListener() { };

    @TempDir
    Path dir;

    private static SeriesPreprocessing.Settings monthly(List<String> features) {
        return new SeriesPreprocessing.Settings(List.of("value"), features, Set.of(), 12, false, null,
                SeriesPreprocessing.Deseasonalize.AUTO, 1);
    }

    private static ForecastSpec.Builder small(SeriesPreprocessing.Settings settings, int horizon) {
        return ForecastSpec.builder(settings, horizon).units(16).epochs(30).seed(7);
    }

    @Test
    void forecastsAirPassengersBetterThanNaive2() {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("air", 1));
        Split split = Split.last(18, 0);
        Forecaster f = Forecaster.fit(series, split, small(monthly(List.of()), 18).lookback(36).build(), QUIET).forecaster();
        Backtest.Result r = Backtest.run(f, series, split, 12, 1);
        assertEquals(1, r.origins());
        Map<String, Backtest.Metrics> m = r.metrics().get("value");
        double unroll = m.get("unroll").overall().get("smape");
        double naive2 = m.get("naive2").overall().get("smape");
        assertEquals(9.5009, naive2, 1e-3, "the M4 benchmark's Naive2 on this split");
        assertTrue(unroll < naive2, "sMAPE " + unroll + " vs Naive2 " + naive2);
        assertEquals(18, m.get("unroll").perStep().size());
    }

    @Test
    void anUntrainedModelForecastsNaive2() {
        // The head starts at zero: z = 0 everywhere, the window's level with the season put back.
        SeriesTable.Series s = AirPassengers.series("air", 1);
        SeriesPreprocessing p = SeriesPreprocessing.fit(List.of(s.head(126)), monthly(List.of()));
        ForecastSpec spec = small(monthly(List.of()), 18).lookback(36).build();
        Forecaster f = Forecaster.fit(List.of(s), Split.last(18, 0), ForecastSpec.builder(spec.preprocessing(), 18).lookback(36).epochs(1)
                .learningRate(1e-30).build(), QUIET).forecaster();
        double[][] forecast = f.forecastEnd(f.preprocessing().prepare(s.head(126), 126));
        double[] naive2 = Baselines.naive2(java.util.Arrays.copyOf(AirPassengers.VALUES, 126), 18, 12);
        for (int step = 0; step < 18; step++) {
            assertEquals(naive2[step], forecast[step][0], 1e-3 * naive2[step], "step " + step);
        }
        assertEquals(p.state("air").profiles(), f.preprocessing().state("air").profiles());
    }

    @Test
    void savedAndLoadedItForecastsTheSameBits() throws Exception {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("air", 1));
        Forecaster f = Forecaster.fit(series, Split.last(18, 0), small(monthly(List.of()), 6).lookback(24).ensemble(2).build(), QUIET)
                .forecaster();
        Path file = dir.resolve("f.safetensors");
        f.save(file, Map.of("app.note", "x"));
        Forecaster loaded = Forecaster.load(file);
        Forecaster fromBytes = Forecaster.of(Checkpoint.read(Checkpoint.toBytes(f.model(), f.metadata()), "bytes"), "bytes");
        SeriesTable.Series s = series.get(0);
        double[][] expected = f.forecastEnd(f.preprocessing().prepare(s, s.length()));
        for (Forecaster other : List.of(loaded, fromBytes)) {
            double[][] got = other.forecastEnd(other.preprocessing().prepare(s, s.length()));
            for (int step = 0; step < 6; step++) {
                assertArrayEquals(expected[step], got[step], 0.0);
            }
        }
        assertEquals(f.task(), loaded.task());
    }

    @Test
    void anEnsembleForecastsTheMeanOfItsMembers() {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("air", 1));
        Forecaster f = Forecaster.fit(series, Split.last(18, 0), small(monthly(List.of()), 6).lookback(24).ensemble(3).build(), QUIET)
                .forecaster();
        assertTrue(f.model() instanceof Ensemble);
        SeriesPreprocessing.Prepared p = f.preprocessing().prepare(series.get(0), 126);
        double[][] all = f.forecastEnd(p);
        double[] mean = new double[6];
        for (Sequential member : f.members()) {
            double[][] one = new Forecaster(member, f.preprocessing(), f.task()).forecastEnd(p);
            for (int s = 0; s < 6; s++) {
                mean[s] += one[s][0] / 3;
            }
        }
        for (int s = 0; s < 6; s++) {
            assertEquals(mean[s], all[s][0], 1e-4 * mean[s]);
        }
    }

    @Test
    void aStreamingModelOfTheNetworkGivesTheForecastsBits() {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("air", 1));
        Forecaster f = Forecaster.fit(series, Split.last(18, 0), small(monthly(List.of()), 6).lookback(24).build(), QUIET).forecaster();
        SeriesPreprocessing.Prepared p = f.preprocessing().prepare(series.get(0), 126);
        Window w = f.endWindow(p);
        int[] lengths = new int[1];
        Tensor x = WindowTensors.inputs(List.of(w), f.task(), f.preprocessing(), lengths);
        Sequential model = f.members().get(0);
        StreamingModel stream = new StreamingModel(model, 1);
        float[] y = null;
        for (int t = 0; t < x.dim(1); t++) {
            y = stream.step(x.slice(1, t, t + 1).reshape(1, x.dim(2)).toArray());
        }
        double[][] forecast = f.forecastEnd(p);
        for (int s = 0; s < 6; s++) {
            assertEquals(p.denormalize(0, y[s], p.level(0, w.origin()), p.position(w.origin() + 1 + s)), forecast[s][0], 0.0);
        }
        // The whole window at once (the fused pass training runs) agrees to float rounding.
        assertArrayEquals(model.predict(x).toArray(), y, 1e-6f);
    }

    @Test
    void recursiveForecastsFeedEachStepBack() {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("air", 1));
        Forecaster f = Forecaster.fit(series, Split.last(18, 0), small(monthly(List.of()), 5).lookback(24).strategy(Strategy.RECURSIVE)
                .build(), QUIET).forecaster();
        SeriesPreprocessing.Prepared p = f.preprocessing().prepare(series.get(0), 126);
        double[][] streamed = f.forecastEnd(p);
        // The same by hand: re-run the whole window with each forecast appended (the seed's §14 window re-run).
        Window w = f.endWindow(p);
        int[] lengths = new int[1];
        Tensor x = WindowTensors.inputs(List.of(w), f.task(), f.preprocessing(), lengths);
        Sequential model = f.members().get(0);
        double level = p.level(0, w.origin());
        float[] seq = x.toArray();
        for (int s = 0; s < 5; s++) {
            Tensor out = model.predict(Tensor.of(seq, 1, seq.length, 1));
            float z = out.get(0, seq.length - 1, 0);
            assertEquals(streamed[s][0], p.denormalize(0, z, level, p.position(w.origin() + 1 + s)), 1e-3, "step " + s);
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = z;
        }
    }

    @Test
    void oneModelForecastsSeriesOfAnyLevel() {
        List<SeriesTable.Series> series = List.of(AirPassengers.series("small", 1), AirPassengers.series("large", 1000));
        Forecaster f = Forecaster.fit(series, Split.last(18, 0), small(monthly(List.of()), 6).lookback(24).build(), QUIET).forecaster();
        double[][] small = f.forecastEnd(f.preprocessing().prepare(series.get(0), 126));
        double[][] large = f.forecastEnd(f.preprocessing().prepare(series.get(1), 126));
        for (int s = 0; s < 6; s++) {
            assertEquals(small[s][0] * 1000, large[s][0], 1e-3 * large[s][0], "each window is normalized by its own level");
        }
    }

    @Test
    void knownFutureFeaturesHelpWhenTheTargetDependsOnThem() {
        // y(t) = 20 + 10 x(t) + small noise, x a random 0/1 promotion known in advance.
        Rng rng = new Rng(3);
        int n = 300;
        float[] y = new float[n];
        float[] x = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = rng.nextFloat() < 0.3f ? 1 : 0;
            y[t] = 20 + 10 * x[t] + (float) (0.3 * rng.nextGaussian());
        }
        Map<String, float[]> columns = new LinkedHashMap<>();
        columns.put("value", y);
        columns.put("promo", x);
        SeriesTable.Series s = new SeriesTable.Series("shop", TimeAxis.index(n), columns, new int[n]);
        Split split = Split.last(60, 0);
        double without = smape(Forecaster.fit(List.of(s), split, small(monthly(List.of()), 4).lookback(8).build(), QUIET).forecaster(),
                s, split);
        double with = smape(Forecaster.fit(List.of(s), split, small(monthly(List.of("promo")), 4).lookback(8).build(), QUIET).forecaster(),
                s, split);
        assertTrue(with < 0.5 * without, "with the covariate " + with + ", without " + without);
    }

    private static double smape(Forecaster f, SeriesTable.Series s, Split split) {
        return Backtest.run(f, List.of(s), split, 1, 4).metrics().get("value").get("unroll").overall().get("smape");
    }

    @Test
    void calendarAndSeasonalLagsAreReadForTheHorizonEvenPastTheTable() {
        int n = 24 * 30;
        double[] times = new double[n];
        float[] load = new float[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1_699_999_200 + 3600.0 * t;
            load[t] = (float) (100 + 20 * Math.sin(2 * Math.PI * t / 24) + 5 * Math.sin(2 * Math.PI * t / 168));
        }
        Map<String, float[]> columns = new LinkedHashMap<>();
        columns.put("load", load);
        SeriesTable.Series s = new SeriesTable.Series("", TimeAxis.of(TimeAxis.Kind.DATE_TIME, times), columns, new int[n]);
        SeriesPreprocessing.Settings settings = new SeriesPreprocessing.Settings(List.of("load"), List.of(),
                EnumSet.of(Calendar.HOUR_OF_DAY), 168, false, null, SeriesPreprocessing.Deseasonalize.AUTO, 1);
        ForecastSpec spec = ForecastSpec.builder(settings, 12).lookback(24).seasonalLag(true).units(8).epochs(5).seed(1).build();
        assertEquals(24, spec.minLookback(), "a model reading the horizon reads full windows");
        Forecaster f = Forecaster.fit(List.of(s), Split.last(48, 0), spec, QUIET).forecaster();
        assertTrue(f.task().readsHorizon(settings));
        double[][] past = f.forecastEnd(f.preprocessing().prepare(s, n));
        assertEquals(12, past.length);
        for (double[] step : past) {
            assertTrue(step[0] > 50 && step[0] < 150, "a forecast in the series' range: " + step[0]);
        }
    }

    @Test
    void seriesTooShortForAWindowAreAClearError() {
        SeriesTable.Series s = AirPassengers.series("air", 1).head(30);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Forecaster.fit(List.of(s), Split.last(6, 0), small(monthly(List.of()), 6).lookback(24).build(), QUIET));
        assertTrue(e.getMessage().contains("series 'air': its training part has 24 of its 30 steps; a training window needs 30"),
                e.getMessage());
    }
}
