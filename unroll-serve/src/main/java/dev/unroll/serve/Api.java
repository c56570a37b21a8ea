package dev.unroll.serve;

import dev.unroll.data.SeriesTable;
import dev.unroll.infer.Classification;
import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
import dev.unroll.infer.StepBatcher;
import dev.unroll.infer.StepResult;
import dev.unroll.preprocess.Preprocessing;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.tensor.Tensor;
import dev.unroll.text.Sampler;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints, independent of the HTTP library: a request's method, path and body in, a
 * {@link Reply} out (a future, completed at once for most; a session step completes when its batch
 * has run). Every failure becomes a JSON error reply: a 4xx naming what was wrong, or a 500 for a
 * bug (logged), never an exception out of {@link #handle}.
 *
 * <pre>
 *   GET    /health                  the model, its sizes, open sessions
 *   GET    /metrics                 Prometheus text
 *   POST   /predict                 {"inputs": [batch][time][features]}          → {"outputs": …}
 *   POST   /forecast                {"inputs": …, "horizon": H}                  → {"forecast": [batch][H][outputs]}
 *   POST   /classify                {"inputs": …}                                → {"classes": […], "probabilities": [batch][classes]}
 *                                    a text classifier: {"texts": ["…", …]}      → {"labels": […], "classes": […], "probabilities": …}
 *   POST   /generate                {"seed": [time][features], "count": N}       → {"values": [N][outputs]}
 *                                    a language model: {"prompt": "…", "length": N, "temperature": T, "top_k": K,
 *                                    "top_p": P, "repetition_penalty": R, "seed": S}  → {"text": "…", "tokens": n}
 *   POST   /sessions                {} or {"state": base64}                      → 201 {"session": id}
 *   POST   /sessions/{id}/step      {"inputs": [time][features]}                 → {"outputs": [time][outputs]}
 *   POST   /sessions/{id}/reset                                                  → {"session": id}
 *   GET    /sessions/{id}                                                        → {"session": id, "state": base64}
 *   PUT    /sessions/{id}           {"state": base64}                            → {"session": id}
 *   DELETE /sessions/{id}                                                        → {"closed": id}
 * </pre>
 *
 * A forecaster of tables ({@code unroll forecast --csv}) answers {@code POST /forecast} with series
 * by column name ({@link TableForecasts}), {@code /health} and {@code /metrics}; it has no
 * tensor endpoints.
 */
final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    /**
     * Work above this many row-steps (sequences × steps) leaves the event loop for the compute
     * threads: at a few µs per row-step it would hold the loop's other connections for milliseconds.
     */
    static final long INLINE_ROW_STEPS = 2048;
    private static final String SESSIONS = "/sessions/";

    /** The model of the tensor endpoints; null for a forecaster of tables. */
    private final Predictor predictor;
    /** A forecaster of tables; null for other models. */
    private final TableForecasts table;
    /** A text model's vocabulary (and a classifier's labels): texts in, labels or text out; null for other models. */
    private final TextPreprocessing text;
    private final ServerOptions options;
    private final StepBatcher batcher;
    private final SessionStore sessions;
    private final Executor compute;
    private final Metrics metrics;
    /** Batch-1 predictions and classifications read in one pass of an event loop, run together. */
    private final LoopBatches batches;
    private final LoopBatches.Kind predictRows = this::predictRows;
    private final LoopBatches.Kind classifyRows = this::classifyRows;

    /** The endpoints of a predictor ({@code table} null) or of a forecaster of tables ({@code predictor} and {@code batcher} null). */
    Api(Predictor predictor, TableForecasts table, ServerOptions options, StepBatcher batcher, SessionStore sessions, Executor compute,
        Metrics metrics, LoopBatches batches) {
        if ((predictor == null) == (table == null)) {
            throw new IllegalArgumentException("serve either a predictor or a forecaster of tables");
        }
        this.predictor = predictor;
        this.table = table;
        this.text = predictor != null && Preprocessing.fromMetadata(predictor.metadata()) instanceof TextPreprocessing t ? t : null;
        this.options = options;
        this.batcher = batcher;
        this.sessions = sessions;
        this.compute = compute;
        this.metrics = metrics;
        this.batches = batches;
    }

    /** The metrics label of a path: its route template, or {@code other}. */
    static String endpoint(String path) {
        switch (path) {
            case "/health", "/metrics", "/predict", "/forecast", "/classify", "/generate", "/sessions":
                return path;
            default:
                break;
        }
        if (path.startsWith(SESSIONS) && path.length() > SESSIONS.length()) {
            String rest = path.substring(SESSIONS.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return "/sessions/{id}";
            }
            String action = rest.substring(slash + 1);
            if (action.equals("step") || action.equals("reset")) {
                return "/sessions/{id}/" + action;
            }
        }
        return "other";
    }

    /**
     * Answers one request read by an event loop, {@code loop} (null: not on one); batch-1
     * predictions and classifications then run together with the others that loop read in the same
     * pass ({@link LoopBatches}). Never throws.
     */
    CompletableFuture<Reply> handle(String method, String path, byte[] body, Executor loop) {
        try {
            return route(method, path, body, loop).exceptionally(e -> failure(unwrap(e)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private CompletableFuture<Reply> route(String method, String path, byte[] body, Executor loop) {
        String endpoint = endpoint(path);
        if (table != null) {
            return routeTable(method, endpoint, path, body);
        }
        switch (endpoint) {
            case "/health":
                requireMethod(method, "GET");
                return done(Reply.json(200, health()));
            case "/metrics":
                requireMethod(method, "GET");
                return done(Reply.text(Reply.PROMETHEUS, metrics.render()));
            case "/predict":
                requireMethod(method, "POST");
                return predict(body, loop);
            case "/forecast":
                requireMethod(method, "POST");
                return forecast(body);
            case "/classify":
                requireMethod(method, "POST");
                return classify(body, loop);
            case "/generate":
                requireMethod(method, "POST");
                return generate(body);
            case "/sessions":
                requireMethod(method, "POST");
                return done(open(body));
            case "/sessions/{id}":
                return session(method, sessionId(path), body);
            case "/sessions/{id}/step":
                requireMethod(method, "POST");
                return step(sessionId(path), body);
            case "/sessions/{id}/reset":
                requireMethod(method, "POST");
                return done(reset(sessionId(path)));
            default:
                throw new ApiException(404, "no endpoint " + path + "; the endpoints are /predict, /forecast, /classify, /generate,"
                        + " /sessions, /health and /metrics (see docs/serving.md)");
        }
    }

    private CompletableFuture<Reply> routeTable(String method, String endpoint, String path, byte[] body) {
        switch (endpoint) {
            case "/health":
                requireMethod(method, "GET");
                return done(Reply.json(200, table.health()));
            case "/metrics":
                requireMethod(method, "GET");
                return done(Reply.text(Reply.PROMETHEUS, metrics.render()));
            case "/forecast":
                requireMethod(method, "POST");
                return tableForecast(body);
            default:
                throw new ApiException(404, "no endpoint " + path + " for a forecaster of tables: it answers POST /forecast"
                        + " {\"series\": [...]}, GET /health and GET /metrics (see docs/serving.md)");
        }
    }

    /** A forecaster of tables: its series by column name in, forecasts of its own horizon out. */
    private CompletableFuture<Reply> tableForecast(byte[] body) {
        Map<String, Object> r = JsonBodies.read(body, table.field(), JsonBodies.optionalInteger("horizon", 1, Integer.MAX_VALUE, null));
        Integer horizon = (Integer) r.get("horizon");
        if (horizon != null && horizon != table.horizon()) {
            throw ApiException.badRequest("horizon: " + horizon + "; this forecaster was trained to forecast " + table.horizon()
                    + " steps, and forecasts that many (leave horizon out)");
        }
        @SuppressWarnings("unchecked")
        List<SeriesTable.Series> series = (List<SeriesTable.Series>) r.get("series");
        return run(table.rowSteps(series), () -> Reply.json(200, table.forecast(series)));
    }

    // ------------------------------------------------------------------ whole sequences

    private JsonBodies.Field inputs() {
        return JsonBodies.floats("inputs", new String[] {"sequences", "steps", "features"},
                new int[] {options.maxBatch(), options.maxSteps(), Integer.MAX_VALUE},
                new String[] {"--max-batch", "--max-steps", null}, new int[] {0, 0, predictor.inputSize()});
    }

    private static Tensor tensor(Object floats) {
        JsonBodies.Floats f = (JsonBodies.Floats) floats;
        return Tensor.of(f.values(), f.shape());
    }

    private CompletableFuture<Reply> predict(byte[] body, Executor loop) {
        Tensor x = tensor(JsonBodies.read(body, inputs()).get("inputs"));
        if (batchable(x, loop)) {
            return batches.submit(predictRows, x.data(), x.dim(1), x.dim(2), loop);
        }
        return run(x.dim(0) * (long) x.dim(1), () -> {
            Tensor y = predictor.predict(x);
            return Reply.json(200, new JsonBodies.Writer().floats("outputs", y.data(), y.offset(), y.shape()).toBytes());
        });
    }

    /** One sequence, small enough to run on the loop, read by a loop: it joins that loop's batch. */
    private boolean batchable(Tensor x, Executor loop) {
        return loop != null && x.dim(0) == 1 && x.dim(1) <= INLINE_ROW_STEPS && x.offset() == 0;
    }

    /** {@link #predict} of a batch of one-sequence requests, answered row by row as each alone. */
    private IntFunction<Reply> predictRows(Tensor x) {
        Tensor y = predictor.predict(x);
        int[] row = y.shape().clone();
        row[0] = 1;
        int size = y.size() / y.dim(0);
        return i -> Reply.json(200, new JsonBodies.Writer().floats("outputs", y.data(), y.offset() + i * size, row).toBytes());
    }

    private CompletableFuture<Reply> forecast(byte[] body) {
        Map<String, Object> r = JsonBodies.read(body, inputs(), JsonBodies.integer("horizon", 1, options.maxHorizon(), "--max-horizon"));
        Tensor x = tensor(r.get("inputs"));
        int horizon = (Integer) r.get("horizon");
        return run(x.dim(0) * ((long) x.dim(1) + horizon), () -> {
            Tensor y = predictor.forecast(x, horizon);
            return Reply.json(200, new JsonBodies.Writer().floats("forecast", y.data(), y.offset(), y.shape()).toBytes());
        });
    }

    private CompletableFuture<Reply> classify(byte[] body, Executor loop) {
        if (text != null && text.isClassifier()) {
            return classifyTexts(body);
        }
        Tensor x = tensor(JsonBodies.read(body, inputs()).get("inputs"));
        if (batchable(x, loop)) {
            return batches.submit(classifyRows, x.data(), x.dim(1), x.dim(2), loop);
        }
        return run(x.dim(0) * (long) x.dim(1), () -> {
            Classification c = predictor.classify(x);
            Tensor p = c.probabilities();
            return Reply.json(200, new JsonBodies.Writer().integers("classes", c.classes())
                    .floats("probabilities", p.data(), p.offset(), p.shape()).toBytes());
        });
    }

    /** {@link #classify} of a batch of one-sequence requests, answered row by row as each alone. */
    private IntFunction<Reply> classifyRows(Tensor x) {
        Classification c = predictor.classify(x);
        Tensor p = c.probabilities();
        int classes = p.dim(1);
        return i -> Reply.json(200, new JsonBodies.Writer().integers("classes", new int[] {c.classes()[i]})
                .floats("probabilities", p.data(), p.offset() + i * classes, 1, classes).toBytes());
    }

    private JsonBodies.Field steps(String name) {
        return JsonBodies.floats(name, new String[] {"steps", "features"}, new int[] {options.maxSteps(), Integer.MAX_VALUE},
                new String[] {"--max-steps", null}, new int[] {0, predictor.inputSize()});
    }

    private CompletableFuture<Reply> generate(byte[] body) {
        if (text != null && !text.isClassifier()) {
            return generateText(body);
        }
        Map<String, Object> r = JsonBodies.read(body, steps("seed"), JsonBodies.integer("count", 1, options.maxHorizon(), "--max-horizon"));
        JsonBodies.Floats seed = (JsonBodies.Floats) r.get("seed");
        int count = (Integer) r.get("count");
        return run(seed.shape()[0] + (long) count, () -> {
            Tensor y = predictor.generate(Tensor.of(seed.values(), 1, seed.shape()[0], seed.shape()[1]), count);
            return Reply.json(200, new JsonBodies.Writer().floats("values", y.data(), y.offset(), count, y.dim(2)).toBytes());
        });
    }

    /** A text's ids by the model's vocabulary: at least one, at most {@code --max-steps}. */
    private int[] encode(String where, String s) {
        int[] ids;
        try {
            ids = text.vocabulary().encode(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + ": " + e.getMessage());
        }
        if (ids.length == 0) {
            throw ApiException.badRequest(where + ": an empty text; the model reads at least one token");
        }
        if (ids.length > options.maxSteps()) {
            throw ApiException.tooLarge(where + ": " + ids.length + " tokens, over the limit of " + options.maxSteps() + " (--max-steps)");
        }
        return ids;
    }

    /** Ids as the model's inputs, one per step. */
    private static float[] idSteps(int[] ids) {
        float[] x = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
        }
        return x;
    }

    /** A text classifier on raw texts: each text alone (no padding), its label by name. */
    private CompletableFuture<Reply> classifyTexts(byte[] body) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) JsonBodies.read(body, JsonBodies.strings("texts", options.maxBatch(), "--max-batch")).get("texts");
        int[][] ids = new int[texts.size()][];
        long rowSteps = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encode("texts[" + i + "]", texts.get(i));
            rowSteps += ids[i].length;
        }
        return run(rowSteps, () -> {
            int classes = text.labels().size();
            int[] best = new int[ids.length];
            List<String> labels = new ArrayList<>(ids.length);
            float[] probabilities = new float[ids.length * classes];
            for (int i = 0; i < ids.length; i++) {
                Classification c = predictor.classify(Tensor.of(idSteps(ids[i]), 1, ids[i].length, 1));
                best[i] = c.classes()[0];
                labels.add(text.labels().get(best[i]));
                Tensor p = c.probabilities();
                System.arraycopy(p.data(), p.offset(), probabilities, i * classes, classes);
            }
            return Reply.json(200, new JsonBodies.Writer().strings("labels", labels).integers("classes", best)
                    .floats("probabilities", probabilities, 0, ids.length, classes).toBytes());
        });
    }

    /**
     * A language model continuing a prompt: the prompt through a fresh session, then one token at a
     * time drawn by a {@link Sampler} (the defaults of {@code unroll text generate}: temperature 0.8,
     * all tokens, seed 42), decoded by the vocabulary.
     */
    private CompletableFuture<Reply> generateText(byte[] body) {
        Map<String, Object> r = JsonBodies.read(body, JsonBodies.text("prompt"),
                JsonBodies.integer("length", 1, options.maxHorizon(), "--max-horizon"),
                JsonBodies.optionalNumber("temperature", 0, Double.POSITIVE_INFINITY), JsonBodies.optionalInteger("top_k", 0, Integer.MAX_VALUE, null),
                JsonBodies.optionalNumber("top_p", 0, 1), JsonBodies.optionalNumber("repetition_penalty", 1, Double.POSITIVE_INFINITY),
                JsonBodies.optionalInteger("seed", 0, Integer.MAX_VALUE, null));
        int[] prompt = encode("prompt", (String) r.get("prompt"));
        int length = (Integer) r.get("length");
        Sampler.Options sampling;
        try {
            sampling = new Sampler.Options((Double) r.getOrDefault("temperature", 0.8), (Integer) r.getOrDefault("top_k", 0),
                    (Double) r.getOrDefault("top_p", 1.0), (Double) r.getOrDefault("repetition_penalty", 1.0),
                    (Integer) r.getOrDefault("seed", 42));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return run(prompt.length + (long) length, () -> {
            Sampler sampler = new Sampler(predictor.outputSize(), sampling);
            for (int id : prompt) {
                sampler.observe(id);
            }
            StepResult step = predictor.step(predictor.newSession(), idSteps(prompt));
            float[] scores = step.outputs();
            int at = (prompt.length - 1) * predictor.outputSize();
            Vocabulary.Decoder decoder = text.vocabulary().decoder();
            StringBuilder out = new StringBuilder();
            for (int n = 1; ; n++) {
                int next = sampler.next(scores, at);
                sampler.observe(next);
                out.append(decoder.append(next));
                if (n == length) {
                    break;
                }
                step = predictor.step(step.state(), new float[] {next});
                scores = step.outputs();
                at = 0;
            }
            out.append(decoder.finish());
            return Reply.json(200, new JsonBodies.Writer().text("text", out.toString()).number("tokens", length).toBytes());
        });
    }

    /** Runs small work here (on the event loop), large work on the compute threads. */
    private CompletableFuture<Reply> run(long rowSteps, Supplier<Reply> work) {
        if (rowSteps <= INLINE_ROW_STEPS) {
            return done(work.get());
        }
        try {
            return CompletableFuture.supplyAsync(work, compute);
        } catch (RejectedExecutionException e) {
            return done(Reply.error(new ApiException(503, "the server is busy: too many large requests queued; try again later"), null));
        }
    }

    // ------------------------------------------------------------------ sessions

    private static String sessionId(String path) {
        String rest = path.substring(SESSIONS.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private Reply open(byte[] body) {
        Object state = JsonBodies.read(body, JsonBodies.optionalText("state")).get("state");
        SessionState s = state == null ? predictor.newSession() : restore((String) state);
        SessionStore.Session session = sessions.open(s, System.nanoTime());
        return Reply.json(201, new JsonBodies.Writer().text("session", session.id).number("state_floats", s.size()).toBytes());
    }

    private SessionState restore(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state: not base64 (" + e.getMessage() + ")");
        }
        return predictor.restore(bytes);
    }

    private CompletableFuture<Reply> session(String method, String id, byte[] body) {
        switch (method) {
            case "GET" -> {
                SessionStore.Session s = sessions.get(id);
                return done(Reply.json(200, new JsonBodies.Writer().text("session", id)
                        .text("state", Base64.getEncoder().encodeToString(s.state.toBytes())).toBytes()));
            }
            case "PUT" -> {
                SessionState state = restore((String) JsonBodies.read(body, JsonBodies.text("state")).get("state"));
                SessionStore.Session s = claim(id);
                s.release(state, System.nanoTime());
                return done(Reply.json(200, new JsonBodies.Writer().text("session", id).toBytes()));
            }
            case "DELETE" -> {
                sessions.close(id);
                return done(Reply.json(200, new JsonBodies.Writer().text("closed", id).toBytes()));
            }
            default -> throw new MethodNotAllowed("GET, PUT, DELETE");
        }
    }

    private SessionStore.Session claim(String id) {
        SessionStore.Session s = sessions.get(id);
        if (!s.claim()) {
            throw new ApiException(409, "session '" + id + "' is taking a step; a session takes one step at a time (wait for its"
                    + " answer)");
        }
        return s;
    }

    private CompletableFuture<Reply> step(String id, byte[] body) {
        JsonBodies.Floats x = (JsonBodies.Floats) JsonBodies.read(body, steps("inputs")).get("inputs");
        SessionStore.Session s = claim(id);
        CompletableFuture<StepResult> result;
        try {
            result = batcher.submit(s.state, x.values());
        } catch (RuntimeException e) {
            s.release(null, System.nanoTime());
            throw e;
        }
        int outputs = predictor.outputSize();
        return result.handle((r, e) -> {
            s.release(r == null ? null : r.state(), System.nanoTime());
            if (e != null) {
                return failure(unwrap(e));
            }
            return Reply.json(200, new JsonBodies.Writer().floats("outputs", r.outputs(), 0, r.outputs().length / outputs, outputs)
                    .toBytes());
        });
    }

    private Reply reset(String id) {
        SessionStore.Session s = claim(id);
        s.release(predictor.newSession(), System.nanoTime());
        return Reply.json(200, new JsonBodies.Writer().text("session", id).toBytes());
    }

    // ------------------------------------------------------------------ health and failures

    private byte[] health() {
        return new JsonBodies.Writer().text("status", "ok").text("model", predictor.toString())
                .number("inputs", predictor.inputSize()).number("outputs", predictor.outputSize())
                .bool("outputs_every_step", predictor.returnsSequences()).text("preprocessing", predictor.preprocessing().toString())
                .text("text", text == null ? "none" : (text.isClassifier() ? "classifier of " + text.labels().size() + " labels"
                        : "language model") + ", " + text.vocabulary().level().id + " vocabulary of " + text.vocabulary().size() + " ids")
                .number("sessions", sessions.size()).number("max_sessions", options.maxSessions()).toBytes();
    }

    /** A 405 that names the methods the path accepts (the {@code Allow} header). */
    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String allow;

        MethodNotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static CompletableFuture<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The reply to a failure: its 4xx, a 400 for the library's argument errors, a 500 (logged) for anything else. */
    private static Reply failure(Throwable e) {
        if (e instanceof ApiException a) {
            return Reply.error(a, null);
        }
        if (e instanceof MethodNotAllowed m) {
            return Reply.error(new ApiException(405, "method not allowed; this path takes " + m.allow), m.allow);
        }
        if (e instanceof IllegalArgumentException) {
            return Reply.error(ApiException.badRequest(e.getMessage()), null);
        }
        if (e instanceof IllegalStateException) {
            // The session batcher, closed by a shutdown.
            return Reply.error(new ApiException(503, "the server is shutting down (" + e.getMessage() + ")"), null);
        }
        LOG.error("internal error answering a request", e);
        return Reply.error(new ApiException(500, "internal error: " + e), null);
    }
}
