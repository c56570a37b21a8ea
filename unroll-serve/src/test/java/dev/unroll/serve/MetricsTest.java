package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Prometheus text: counters by endpoint and status, cumulative histogram buckets, gauges. */
class MetricsTest {

    @Test
    void rendersCountersHistogramsAndGauges() {
        Metrics m = new Metrics("model=\"" + Metrics.label("a \"b\"\nc\\") + "\"");
        m.register("unroll_sessions", "Streaming sessions open.", () -> 7);
        for (long nanos : new long[] {30_000, 70_000, 3_000_000, 20_000_000_000L}) {
            m.started();
            m.finished("/predict", 200, nanos);
        }
        m.started();
        m.finished("/predict", 400, 10_000);
        m.started();
        assertEquals(1, m.inFlight());
        assertArrayEquals(new long[] {5, 1}, m.totals());
        String text = m.render();
        assertTrue(text.contains("unroll_model_info{model=\"a \\\"b\\\"\\nc\\\\\"} 1\n"), text);
        assertTrue(text.contains("unroll_requests_total{endpoint=\"/predict\",status=\"200\"} 4\n"), text);
        assertTrue(text.contains("unroll_requests_total{endpoint=\"/predict\",status=\"400\"} 1\n"), text);
        assertTrue(text.contains("unroll_errors_total{endpoint=\"/predict\",status=\"400\"} 1\n"), text);
        assertTrue(!text.contains("unroll_errors_total{endpoint=\"/predict\",status=\"200\"}"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.00005\"} 2\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.0001\"} 3\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.005\"} 4\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"10\"} 4\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"+Inf\"} 5\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_count{endpoint=\"/predict\"} 5\n"), text);
        assertTrue(text.contains("unroll_request_duration_seconds_sum{endpoint=\"/predict\"} 20.003110\n"), text);
        assertTrue(text.contains("unroll_requests_in_flight 1\n"), text);
        assertTrue(text.contains("# TYPE unroll_sessions gauge\nunroll_sessions 7\n"), text);
    }
}
