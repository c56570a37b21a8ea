package dev.unroll.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    /** R 4.2.2, forecast 8.20, the M4 benchmark's Naive2 on AirPassengers without its last 18 months (tools/forecast_benchmark). */
    private static final double[] R_NAIVE2 = {518.944888311658, 515.314186696991, 450.483894735075, 391.398442857325, 339.784568971511,
        381.714877645924, 387.055449332643, 378.950349627888, 433.781793574099, 415.227422929194, 415.050920586778, 472,
        518.944888311658, 515.314186696991, 450.483894735075, 391.398442857325, 339.784568971511, 381.714877645924};

    @Test
    void naive2MatchesTheM4Benchmark() {
        double[] history = Arrays.copyOf(AirPassengers.VALUES, 126);
        assertArrayEquals(R_NAIVE2, Baselines.naive2(history, 18, 12), 1e-9);
    }

    @Test
    void theSimpleBaselines() {
        double[] h = {1, 2, 4, 3, 5, 7};
        assertArrayEquals(new double[] {7, 7, 7}, Baselines.naive(h, 3));
        assertArrayEquals(new double[] {3, 5, 7, 3, 5}, Baselines.seasonalNaive(h, 5, 3));
        assertArrayEquals(new double[] {8.2, 9.4}, Baselines.drift(h, 2), 1e-12);
        assertArrayEquals(new double[] {7, 7}, Baselines.seasonalNaive(h, 2, 10), "shorter than a season: naive");
        assertArrayEquals(Baselines.naive(h, 4), Baselines.naive2(h, 4, 3), "not seasonal by the test: naive");
    }

    @Test
    void metricsAsM4DefinesThem() {
        ForecastMetrics.Accumulator a = new ForecastMetrics.Accumulator();
        a.add(100, 90, 5);
        a.add(200, 220, 5);
        Map<String, Double> m = a.values();
        assertEquals(15.0, m.get("mae"), 1e-12);
        assertEquals(Math.sqrt((100 + 400) / 2.0), m.get("rmse"), 1e-12);
        assertEquals(250.0, m.get("mse"), 1e-12);
        assertEquals(100 * (0.1 + 0.1) / 2, m.get("mape"), 1e-12);
        assertEquals(200 * (10.0 / 190 + 20.0 / 420) / 2, m.get("smape"), 1e-12);
        assertEquals(3.0, m.get("mase"), 1e-12);
        assertEquals(2.0, ForecastMetrics.maseScale(new double[] {1, 5, 3, 7}, 2), 1e-12, "mean |y(t) − y(t−2)|");
        assertEquals(1.0, ForecastMetrics.maseScale(new double[] {3, 3, 3}, 1), "a constant series scales by 1");
        Map<String, Double> naive2 = new LinkedHashMap<>(m);
        naive2.put("smape", 2 * m.get("smape"));
        naive2.put("mase", 4 * m.get("mase"));
        assertEquals((0.5 + 0.25) / 2, ForecastMetrics.owa(m, naive2), 1e-12);
    }
}
