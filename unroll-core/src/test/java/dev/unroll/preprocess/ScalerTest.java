package dev.unroll.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.io.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalerTest {
    @Test
    void fitsOnTrainingValuesAndInverts() {
        List<float[]> columns = List.of(new float[] {1, 2, 3}, new float[] {5});
        Scaler standard = Scaler.fit(Scaler.Kind.STANDARD, columns);
        assertEquals(2.75, standard.center(), 1e-12);
        assertEquals(Math.sqrt((1.75 * 1.75 + 0.75 * 0.75 + 0.25 * 0.25 + 2.25 * 2.25) / 4), standard.scale(), 1e-12);
        Scaler minmax = Scaler.fit(Scaler.Kind.MINMAX, columns);
        assertEquals(0.0, minmax.apply(1), 1e-12);
        assertEquals(1.0, minmax.apply(5), 1e-12);
        assertEquals(7.5, standard.invert(standard.apply(7.5)), 1e-12);
        assertEquals(1.0, Scaler.fit(Scaler.Kind.STANDARD, List.of(new float[] {4, 4})).scale(), "a constant column keeps scale 1");
        assertEquals(Scaler.NONE, Scaler.fit(Scaler.Kind.NONE, columns));
        assertEquals(standard, Scaler.fromConfig(Json.parseObject(Json.write(standard.config()))));
        assertThrows(IllegalArgumentException.class, () -> Scaler.fit(Scaler.Kind.STANDARD, List.of()));
    }
}
