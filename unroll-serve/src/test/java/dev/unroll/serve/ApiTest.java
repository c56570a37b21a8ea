package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paths become route templates for the metrics, never raw ids. */
class ApiTest {
    @ParameterizedTest
    @CsvSource({
        "/predict, /predict",
        "/metrics, /metrics",
        "/sessions, /sessions",
        "/sessions/abc, /sessions/{id}",
        "/sessions/abc/step, /sessions/{id}/step",
        "/sessions/abc/reset, /sessions/{id}/reset",
        "/sessions/abc/jump, other",
        "/sessions/, other",
        "/, other",
        "/predict/x, other",
    })
    void endpointsAreRouteTemplates(String path, String endpoint) {
        assertEquals(endpoint, Api.endpoint(path));
    }
}
