package dev.unroll.serve;

import dev.unroll.forecast.ForecastTask;
import dev.unroll.forecast.Forecaster;
import dev.unroll.forecast.TableLayout;
import dev.unroll.infer.Predictor;
import dev.unroll.io.Checkpoint;
import dev.unroll.infer.StepBatcher;
import dev.unroll.kernel.Kernels;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code unroll serve}: an HTTP/1.1 JSON server over one {@link Predictor} (the endpoints are in
 * {@link Api}), on Netty.
 *
 * <p>Threads: {@link ServerOptions#ioThreads} event loops read, parse, run and answer requests —
 * small requests run on the loop itself, with no hand-off, since a batch-1 prediction takes
 * microseconds; requests of more than {@link Api#INLINE_ROW_STEPS} row-steps go to
 * {@link ServerOptions#computeThreads} compute threads, so they do not hold up the loop's other
 * connections. Session steps go to the predictor's {@link StepBatcher} and are answered when their
 * batch has run; no thread waits for them. The predictor is shared by all: it is thread-safe and
 * each call has its own buffers and a thread budget of 1.
 *
 * <p>Limits ({@link ServerOptions}) are enforced before the work they bound. {@link #stop} is
 * graceful: it stops accepting connections, lets the requests in flight finish (up to
 * {@link ServerOptions#shutdownGrace}), answers them with {@code Connection: close}, then closes
 * every connection and thread.
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;

    private final ServerOptions options;
    private final Metrics metrics;
    private final SessionStore sessions;
    private final StepBatcher batcher;
    private final LoopBatches loopBatches;
    private final ThreadPoolExecutor compute;
    private final ScheduledExecutorService sweeper;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup("unroll-serve", GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final long startNanos = System.nanoTime();
    private volatile boolean draining;
    private volatile boolean stopped;

    /** What it serves, in words. */
    private final String description;
    /** Its endpoints, in words. */
    private final String endpoints;

    /** A server of {@code predictor}, or (predictor null) of a forecaster of tables. */
    private ModelServer(Predictor predictor, TableForecasts table, ServerOptions options) throws InterruptedException {
        this.options = options;
        this.description = predictor != null ? predictor + " (in: " + predictor.inputSize() + " per step; out: " + predictor.outputSize()
                + (predictor.returnsSequences() ? " per step" : " per sequence") + "; preprocessing: " + predictor.preprocessing() + ")"
                : table.describe();
        this.endpoints = predictor != null ? "POST /predict /forecast /classify /generate /sessions, GET /health /metrics"
                : "POST /forecast with series by column, GET /health /metrics";
        String model = predictor != null ? predictor.toString() : table.forecaster().model().toString();
        this.metrics = new Metrics("model=\"" + Metrics.label(model) + "\",kernels=\"" + Kernels.provider().name() + "\"");
        this.sessions = new SessionStore(options.maxSessions(), options.sessionIdle().toNanos());
        this.batcher = predictor == null ? null : predictor.batcher(options.stepBatch(), options.stepWait());
        this.compute = new ThreadPoolExecutor(options.computeThreads(), options.computeThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64 * options.computeThreads()), new DefaultThreadFactory("unroll-compute", true));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("unroll-session-expiry", true));
        long every = Math.max(1, Math.min(60_000, options.sessionIdle().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(() -> sessions.expire(System.nanoTime()), every, every, TimeUnit.MILLISECONDS);
        this.loopBatches = new LoopBatches(options.maxBatch());
        registerGauges();
        Api api = new Api(predictor, table, options, batcher, sessions, compute, metrics, loopBatches);
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("unroll-accept", true), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("unroll-io", true),
                NioIoHandler.newFactory());
        int idleSeconds = (int) Math.max(1, options.idleConnection().toSeconds());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, idleSeconds))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 1 << 16))
                                .addLast(new BodyLimit(options.maxBodyBytes(), metrics))
                                .addLast(new HttpHandler(api, metrics, () -> draining));
                    }
                });
        try {
            this.listener = b.bind(options.host(), options.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownThreads(Duration.ZERO);
            throw e;
        }
    }

    /** Starts a server of {@code predictor}; it listens when this returns. A port in use is an {@code IllegalStateException}. */
    public static ModelServer start(Predictor predictor, ServerOptions options) throws InterruptedException {
        return start(predictor, null, options);
    }

    /**
     * Starts a server of a forecaster of tables ({@code unroll forecast --csv}), which answers
     * {@code POST /forecast} with series by column name as {@code layout} names them (see
     * docs/serving.md); it listens when this returns.
     */
    public static ModelServer start(Forecaster forecaster, TableLayout layout, ServerOptions options) throws InterruptedException {
        return start(null, new TableForecasts(forecaster, layout, options), options);
    }

    /**
     * Starts a server of a loaded checkpoint: a forecaster of tables when its metadata holds one
     * ({@link ForecastTask#METADATA_KEY}), else a {@link Predictor} of its model. {@code where}
     * names the checkpoint in errors.
     */
    public static ModelServer start(Checkpoint.Loaded loaded, String where, ServerOptions options) throws IOException, InterruptedException {
        if (!loaded.metadata().containsKey(ForecastTask.METADATA_KEY)) {
            return start(Predictor.builder(loaded).build(), options);
        }
        TableLayout layout;
        try {
            layout = TableLayout.fromMetadata(loaded.metadata());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        return start(Forecaster.of(loaded, where), layout, options);
    }

    private static ModelServer start(Predictor predictor, TableForecasts table, ServerOptions options) throws InterruptedException {
        try {
            return new ModelServer(predictor, table, options);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.net.BindException || e instanceof io.netty.channel.ChannelException) {
                throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** What it serves, in words: the model, its sizes and preprocessing. */
    public String description() {
        return description;
    }

    /** Its endpoints, in words (they depend on the model it serves). */
    public String endpoints() {
        return endpoints;
    }

    /** The port it listens on (the one picked when the options said 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + options.host() + ":" + port();
    }

    /** Requests answered so far, and how many of them with a status of 400 or more. */
    public long[] requestTotals() {
        return metrics.totals();
    }

    /**
     * Stops gracefully: no new connections; requests in flight finish (up to the shutdown grace)
     * and are answered with {@code Connection: close}; then every connection and thread is closed.
     * Returns false if requests were still in flight when the grace ran out. Idempotent.
     */
    public synchronized boolean stop() {
        if (stopped) {
            return true;
        }
        stopped = true;
        draining = true;
        listener.close().syncUninterruptibly();
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean finished = metrics.inFlight() == 0;
        if (!finished) {
            LOG.warn("stopping with {} requests still in flight after the {} grace", metrics.inFlight(), options.shutdownGrace());
        }
        connections.close().awaitUninterruptibly();
        shutdownThreads(Duration.ofSeconds(5));
        return finished;
    }

    @Override
    public void close() {
        stop();
    }

    private void shutdownThreads(Duration timeout) {
        if (batcher != null) {
            batcher.close();
        }
        compute.shutdown();
        sweeper.shutdownNow();
        workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private void registerGauges() {
        metrics.register("unroll_sessions", "Streaming sessions open.", sessions::size);
        metrics.register("unroll_sessions_opened_total", "Streaming sessions opened.", sessions::opened);
        metrics.register("unroll_sessions_closed_total", "Streaming sessions closed by DELETE.", sessions::closed);
        metrics.register("unroll_sessions_expired_total", "Streaming sessions closed after being idle.", sessions::expired);
        if (batcher != null) {
            metrics.register("unroll_session_steps_total", "Session step requests run by the batcher.", batcher::steps);
            metrics.register("unroll_session_batches_total", "Batches the session steps ran in (steps / batches = mean batch size).",
                    batcher::batches);
        }
        metrics.register("unroll_loop_batches_total", "Batches that one-sequence /predict and /classify requests read together ran in.",
                loopBatches::batches);
        metrics.register("unroll_loop_batched_sequences_total", "Sequences run in those batches (sequences / batches = mean batch size).",
                loopBatches::rows);
        metrics.register("unroll_uptime_seconds", "Seconds since the server started.", () -> (System.nanoTime() - startNanos) / 1_000_000_000L);
        metrics.register("unroll_jvm_heap_used_bytes", "Heap in use.", () -> {
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() - rt.freeMemory();
        });
    }

    /**
     * Gathers a request's body up to the limit; a larger one (by its {@code Content-Length}, or as
     * it arrives) is answered with a JSON 413 and the connection ended (the rest of the body is
     * read and discarded, see {@link HttpHandler#writeThenLinger}).
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final int max;
        private final Metrics metrics;

        BodyLimit(int max, Metrics metrics) {
            super(max);
            this.max = max;
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            long start = System.nanoTime();
            metrics.started();
            String endpoint = Api.endpoint(oversized instanceof HttpRequest r ? HttpHandler.path(r.uri()) : "");
            String size = HttpUtil.isContentLengthSet(oversized) ? HttpUtil.getContentLength(oversized, -1L) + " bytes" : "more bytes";
            Reply reply = Reply.error(ApiException.tooLarge("request body of " + size + " exceeds the limit of " + max
                    + " bytes (--max-body)"), null);
            HttpHandler.writeThenLinger(ctx, reply);
            metrics.finished(endpoint, reply.status(), System.nanoTime() - start);
        }
    }
}
