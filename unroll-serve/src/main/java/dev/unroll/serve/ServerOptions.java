package dev.unroll.serve;

import java.time.Duration;

/**
 * How a {@link ModelServer} listens and what it accepts. Every limit is checked before the work it
 * bounds is done, and a request over one gets a 4xx JSON error naming the limit and its option.
 *
 * @param host            address to bind (default {@code 127.0.0.1}: loopback only)
 * @param port            TCP port; 0 picks a free one
 * @param ioThreads       Netty event-loop threads, which also run small requests (default: processors)
 * @param computeThreads  threads for requests too large to run on an event loop (default: processors)
 * @param maxBodyBytes    largest request body accepted ({@code 413} above)
 * @param maxBatch        most sequences in one request ({@code 413} above)
 * @param maxSteps        most time steps per sequence, and per session step request ({@code 413} above)
 * @param maxHorizon      most steps a forecast or a generation may ask for ({@code 413} above)
 * @param maxSessions     most streaming sessions open at once ({@code 429} above)
 * @param sessionIdle     a session unused this long is closed
 * @param stepBatch       most session steps batched into one product
 * @param stepWait        how long the first step of a batch waits for others to join
 * @param idleConnection  a keep-alive connection without traffic this long is closed
 * @param shutdownGrace   on stop, how long in-flight requests may take to finish
 */
public record ServerOptions(String host, int port, int ioThreads, int computeThreads, int maxBodyBytes, int maxBatch, int maxSteps,
                            int maxHorizon, int maxSessions, Duration sessionIdle, int stepBatch, Duration stepWait,
                            Duration idleConnection, Duration shutdownGrace) {

    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server: host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server: port must be in [0, 65535], got " + port);
        }
        positive("io threads", ioThreads);
        positive("compute threads", computeThreads);
        positive("max body bytes", maxBodyBytes);
        positive("max batch", maxBatch);
        positive("max steps", maxSteps);
        positive("max horizon", maxHorizon);
        positive("max sessions", maxSessions);
        positive("step batch", stepBatch);
        if (sessionIdle.isNegative() || sessionIdle.isZero() || idleConnection.isNegative() || idleConnection.isZero()) {
            throw new IllegalArgumentException("server: idle timeouts must be positive, got " + sessionIdle + " and " + idleConnection);
        }
        if (stepWait.isNegative() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("server: waits must not be negative, got " + stepWait + " and " + shutdownGrace);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("server: " + what + " must be at least 1, got " + value);
        }
    }

    /** Options starting from the defaults: {@code 127.0.0.1:8080}, the limits of {@code unroll serve --help}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets options one by one; {@link #build} checks them. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private int computeThreads = Runtime.getRuntime().availableProcessors();
        private int maxBodyBytes = 4 << 20;
        private int maxBatch = 256;
        private int maxSteps = 10_000;
        private int maxHorizon = 1000;
        private int maxSessions = 100_000;
        private Duration sessionIdle = Duration.ofHours(1);
        private int stepBatch = 64;
        private Duration stepWait = Duration.ofMillis(1);
        private Duration idleConnection = Duration.ofSeconds(60);
        private Duration shutdownGrace = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder host(String h) {
            host = h;
            return this;
        }

        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder ioThreads(int n) {
            ioThreads = n;
            return this;
        }

        public Builder computeThreads(int n) {
            computeThreads = n;
            return this;
        }

        public Builder maxBodyBytes(int n) {
            maxBodyBytes = n;
            return this;
        }

        public Builder maxBatch(int n) {
            maxBatch = n;
            return this;
        }

        public Builder maxSteps(int n) {
            maxSteps = n;
            return this;
        }

        public Builder maxHorizon(int n) {
            maxHorizon = n;
            return this;
        }

        public Builder maxSessions(int n) {
            maxSessions = n;
            return this;
        }

        public Builder sessionIdle(Duration d) {
            sessionIdle = d;
            return this;
        }

        public Builder stepBatch(int n) {
            stepBatch = n;
            return this;
        }

        public Builder stepWait(Duration d) {
            stepWait = d;
            return this;
        }

        public Builder idleConnection(Duration d) {
            idleConnection = d;
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            shutdownGrace = d;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(host, port, ioThreads, computeThreads, maxBodyBytes, maxBatch, maxSteps, maxHorizon, maxSessions,
                    sessionIdle, stepBatch, stepWait, idleConnection, shutdownGrace);
        }
    }
}
