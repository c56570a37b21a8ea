package dev.unroll.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters, rendered in the Prometheus text format (version 0.0.4) for
 * {@code GET /metrics}: requests by endpoint and status, errors (4xx and 5xx) likewise, request
 * latency histograms by endpoint, requests in flight, open sessions and batched session steps.
 * Recording costs a few uncontended adds ({@link LongAdder}); endpoints are route templates
 * ({@code /sessions/{id}/step}), never raw paths, so the series stay few.
 */
final class Metrics {
    /** Histogram bucket bounds in seconds: 50 µs to 10 s. */
    private static final double[] BUCKETS = {50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3,
        500e-3, 1, 2.5, 10};

    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, LongSupplier> gauges = new TreeMap<>();
    private final Map<String, String> help = new TreeMap<>();
    private final String info;

    /** {@code info}: labels of the {@code unroll_model_info} series, e.g. {@code model="…",kernels="vector-256"}. */
    Metrics(String info) {
        this.info = info;
    }

    /** A gauge or counter read when rendering, e.g. the number of open sessions. */
    synchronized void register(String name, String description, LongSupplier value) {
        gauges.put(name, value);
        help.put(name, description);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    /** One request answered: its endpoint, status and time since it arrived. */
    void finished(String endpoint, int status, long nanos) {
        inFlight.decrementAndGet();
        requests.computeIfAbsent(endpoint + '\u0000' + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram()).record(nanos / 1e9);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Requests answered so far, and how many of them with a status of 400 or more. */
    long[] totals() {
        long all = 0;
        long errors = 0;
        for (Map.Entry<String, LongAdder> e : requests.entrySet()) {
            long n = e.getValue().sum();
            all += n;
            if (status(e.getKey()) >= 400) {
                errors += n;
            }
        }
        return new long[] {all, errors};
    }

    String render() {
        StringBuilder sb = new StringBuilder(4096);
        header(sb, "unroll_model_info", "gauge", "The model served and the kernels running it.");
        sb.append("unroll_model_info{").append(info).append("} 1\n");
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((k, v) -> counts.put(k, v.sum()));
        header(sb, "unroll_requests_total", "counter", "Requests answered, by endpoint and HTTP status.");
        counts.forEach((k, v) -> sb.append("unroll_requests_total{").append(labels(k)).append("} ").append(v).append('\n'));
        header(sb, "unroll_errors_total", "counter", "Requests answered with a status of 400 or more, by endpoint and status.");
        counts.forEach((k, v) -> {
            if (status(k) >= 400) {
                sb.append("unroll_errors_total{").append(labels(k)).append("} ").append(v).append('\n');
            }
        });
        header(sb, "unroll_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by endpoint.");
        new TreeMap<>(latency).forEach((endpoint, h) -> h.render(sb, endpoint));
        header(sb, "unroll_requests_in_flight", "gauge", "Requests being handled.");
        sb.append("unroll_requests_in_flight ").append(inFlight.get()).append('\n');
        synchronized (this) {
            gauges.forEach((name, value) -> {
                header(sb, name, name.endsWith("_total") ? "counter" : "gauge", help.get(name));
                sb.append(name).append(' ').append(value.getAsLong()).append('\n');
            });
        }
        return sb.toString();
    }

    /** A label value with Prometheus's escapes (backslash, double quote, line feed). */
    static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static int status(String key) {
        return Integer.parseInt(key.substring(key.indexOf('\u0000') + 1));
    }

    private static String labels(String key) {
        int cut = key.indexOf('\u0000');
        return "endpoint=\"" + key.substring(0, cut) + "\",status=\"" + key.substring(cut + 1) + "\"";
    }

    private static void header(StringBuilder sb, String name, String type, String description) {
        sb.append("# HELP ").append(name).append(' ').append(description).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One endpoint's latencies: counts per bucket (not cumulative until rendered), their sum and count. */
    private static final class Histogram {
        private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            buckets[i].increment();
            sum.add(seconds);
        }

        void render(StringBuilder sb, String endpoint) {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += buckets[i].sum();
                String le = i < BUCKETS.length ? java.math.BigDecimal.valueOf(BUCKETS[i]).stripTrailingZeros().toPlainString() : "+Inf";
                sb.append("unroll_request_duration_seconds_bucket{endpoint=\"").append(endpoint).append("\",le=\"").append(le)
                        .append("\"} ").append(cumulative).append('\n');
            }
            sb.append("unroll_request_duration_seconds_sum{endpoint=\"").append(endpoint).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.6f", sum.sum())).append('\n');
            sb.append("unroll_request_duration_seconds_count{endpoint=\"").append(endpoint).append("\"} ").append(cumulative).append('\n');
        }
    }
}
