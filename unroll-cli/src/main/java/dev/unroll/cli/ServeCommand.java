package dev.unroll.cli;

import dev.unroll.io.Checkpoint;
import dev.unroll.serve.ModelServer;
import dev.unroll.serve.ServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code unroll serve}: runs a saved model behind an HTTP/1.1 JSON server ({@link ModelServer})
 * until SIGTERM or Ctrl-C, then stops gracefully and prints what it served.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Serve a saved model over HTTP/1.1 with JSON, until SIGTERM or Ctrl-C.",
            "",
            "Endpoints: POST /predict {\"inputs\": [batch][time][features]}, POST /forecast (plus \"horizon\"),"
                + " POST /classify, POST /generate {\"seed\": [time][features], \"count\": N}; streaming sessions:"
                + " POST /sessions, POST /sessions/{id}/step {\"inputs\": [time][features]}, GET|PUT|DELETE /sessions/{id},"
                + " POST /sessions/{id}/reset; GET /health, GET /metrics (Prometheus). Inputs and outputs are in the"
                + " series' units: the preprocessing saved with the model is applied. See docs/serving.md.",
            "",
            "Prints the address once listening. On SIGTERM, requests in flight finish (up to --shutdown-grace);"
                + " the last line printed is requests=<count answered>.",
            ""})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model to serve (.safetensors).")
    Path modelFile;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event-loop threads, which run small requests too (default: processors).")
    Integer ioThreads;

    @Option(names = "--compute-threads", paramLabel = "N", description = "Threads for large requests (default: processors).")
    Integer computeThreads;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "4194304",
            description = "Largest request body; larger is a 413 (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "256",
            description = "Most sequences per request; more is a 413 (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "10000",
            description = "Most time steps per sequence or session step; more is a 413 (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-horizon", paramLabel = "N", defaultValue = "1000",
            description = "Most steps a forecast or generation asks for; more is a 413 (default: ${DEFAULT-VALUE}).")
    int maxHorizon;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "100000",
            description = "Most streaming sessions open at once; more is a 429 (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--session-idle", paramLabel = "SECONDS", defaultValue = "3600",
            description = "A session unused this long is closed (default: ${DEFAULT-VALUE}).")
    long sessionIdle;

    @Option(names = "--step-batch", paramLabel = "N", defaultValue = "64",
            description = "Most session steps run together in one product (default: ${DEFAULT-VALUE}).")
    int stepBatch;

    @Option(names = "--step-wait-us", paramLabel = "MICROSECONDS", defaultValue = "1000",
            description = "How long a session step waits for others to batch with; 0 for none (default: ${DEFAULT-VALUE}).")
    long stepWait;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    long shutdownGrace;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--port", port, 0);
        if (port > 65535) {
            throw Checks.usage(spec, "--port must be at most 65535, got " + port);
        }
        Checks.atLeast(spec, "--max-body", maxBody, 1);
        Checks.atLeast(spec, "--max-batch", maxBatch, 1);
        Checks.atLeast(spec, "--max-steps", maxSteps, 1);
        Checks.atLeast(spec, "--max-horizon", maxHorizon, 1);
        Checks.atLeast(spec, "--max-sessions", maxSessions, 1);
        Checks.atLeast(spec, "--session-idle", sessionIdle, 1);
        Checks.atLeast(spec, "--step-batch", stepBatch, 1);
        Checks.atLeast(spec, "--step-wait-us", stepWait, 0);
        Checks.atLeast(spec, "--shutdown-grace", shutdownGrace, 0);
        ServerOptions.Builder options = ServerOptions.builder().host(host).port(port).maxBodyBytes(maxBody).maxBatch(maxBatch)
                .maxSteps(maxSteps).maxHorizon(maxHorizon).maxSessions(maxSessions).sessionIdle(Duration.ofSeconds(sessionIdle))
                .stepBatch(stepBatch).stepWait(Duration.ofNanos(stepWait * 1000)).shutdownGrace(Duration.ofSeconds(shutdownGrace));
        if (ioThreads != null) {
            Checks.atLeast(spec, "--io-threads", ioThreads, 1);
            options.ioThreads(ioThreads);
        }
        if (computeThreads != null) {
            Checks.atLeast(spec, "--compute-threads", computeThreads, 1);
            options.computeThreads(computeThreads);
        }
        PrintWriter out = main.console().out();
        long start = System.nanoTime();
        Checkpoint.Loaded checkpoint = Checkpoint.read(Inputs.file(modelFile));
        double loaded = (System.nanoTime() - start) / 1e9;
        ModelServer server = ModelServer.start(checkpoint, modelFile.toString(), options.build());
        out.println("model: " + server.description());
        out.println("loaded " + modelFile + " in " + Format.milliseconds(loaded));
        out.println("serving on " + server.url() + " (" + server.endpoints() + "); stop with SIGTERM or Ctrl-C");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean drained = server.stop();
            long[] totals = server.requestTotals();
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println("stopped after " + Format.seconds(seconds) + ": " + Format.count(totals[0]) + " requests answered, "
                    + Format.count(totals[1]) + " with an error status" + (drained ? "" : "; some were cut off after --shutdown-grace"));
            out.println("requests=" + totals[0]);
            out.flush();
            stopped.countDown();
        }, "unroll-serve-shutdown"));
        stopped.await();
        return 0;
    }
}
