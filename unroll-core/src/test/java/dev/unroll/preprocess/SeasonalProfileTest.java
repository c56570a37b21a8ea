package dev.unroll.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.forecast.AirPassengers;
import dev.unroll.io.Json;
import dev.unroll.tensor.Rng;
import org.junit.jupiter.api.Test;

class SeasonalProfileTest {
    /** R 4.2.2: {@code decompose(AirPassengers, type = "multiplicative")$figure}. */
    private static final double[] R_FIGURE = {0.9102303674, 0.8836253207, 1.0073662876, 0.9759060123, 0.9813780275, 1.1127758267,
        1.2265555429, 1.2199109694, 1.0604919326, 0.9217572404, 0.8011780824, 0.8988243900};

    @Test
    void matchesRsClassicalDecomposition() {
        SeasonalProfile p = SeasonalProfile.fit(AirPassengers.VALUES, 12, true);
        assertArrayEquals(R_FIGURE, p.factors(), 1e-9);
        assertEquals(p.factor(0), p.factor(12));
        assertEquals(p.factor(11), p.factor(-1), "positions before 0 wrap");
        assertEquals(250.0, p.restore(p.remove(250.0, 7), 7), 1e-12);
    }

    @Test
    void additiveProfilesSumToZero() {
        double[] x = new double[48];
        for (int t = 0; t < x.length; t++) {
            x[t] = 10 + 0.5 * t + (t % 4 == 1 ? 3 : t % 4 == 3 ? -3 : 0);
        }
        SeasonalProfile p = SeasonalProfile.fit(x, 4, false);
        assertArrayEquals(new double[] {0, 3, 0, -3}, p.factors(), 1e-9);
    }

    @Test
    void theM4TestFindsSeasonalityWhereThereIs() {
        assertTrue(SeasonalProfile.isSeasonal(AirPassengers.VALUES, 12));
        Rng rng = new Rng(1);
        double[] noise = new double[144];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextGaussian();
        }
        assertFalse(SeasonalProfile.isSeasonal(noise, 12));
        assertFalse(SeasonalProfile.isSeasonal(java.util.Arrays.copyOf(AirPassengers.VALUES, 35), 12), "fewer than 3 seasons");
        assertFalse(SeasonalProfile.isSeasonal(AirPassengers.VALUES, 1));
    }

    @Test
    void savesAndLoadsExactly() {
        SeasonalProfile p = SeasonalProfile.fit(AirPassengers.VALUES, 12, true);
        assertEquals(p, SeasonalProfile.fromConfig(Json.parseObject(Json.write(p.config()))));
        assertThrows(IllegalArgumentException.class, () -> SeasonalProfile.fit(new double[10], 12, true));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalProfile(2, true, new double[] {1, -1}));
    }
}
