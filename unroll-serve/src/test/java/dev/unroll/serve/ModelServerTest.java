package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.infer.Classification;
import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
import dev.unroll.infer.Standardization;
import dev.unroll.infer.StepResult;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server on a free port, hit by a real HTTP client: every endpoint gives the predictor's
 * own numbers bit for bit; bad requests get their 4xx JSON errors and hurt no other request.
 */
class ModelServerTest {
    static Predictor forecaster;
    static Predictor classifier;
    static ModelServer forecasts;
    static ModelServer classifies;
    static Client f;
    static Client c;

    @BeforeAll
    static void start() throws Exception {
        Rng rng = new Rng(1);
        forecaster = Predictor.builder(Sequential.of(Recurrent.builder(CellType.RNN, 1, 16).activation(Activation.RELU).rng(rng).build(),
                new Dense(16, 1, rng))).preprocessing(new Standardization(5.0, 2.0).withWindow(8)).build();
        classifier = Predictor.of(Sequential.of(Recurrent.builder(CellType.GRU, 4, 12).returnSequences(false).rng(rng).build(),
                new Dense(12, 3, rng)));
        ServerOptions.Builder small = ServerOptions.builder().port(0).maxBodyBytes(64 * 1024).maxBatch(8).maxSteps(50).maxHorizon(20)
                .maxSessions(3);
        forecasts = ModelServer.start(forecaster, small.build());
        classifies = ModelServer.start(classifier, small.build());
        f = new Client(forecasts.url());
        c = new Client(classifies.url());
    }

    @AfterAll
    static void stop() {
        forecasts.stop();
        classifies.stop();
    }

    private static void assertStatus(int expected, HttpResponse<String> r) {
        assertEquals(expected, r.statusCode(), r::body);
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), r.headers()::toString);
    }

    /** A JSON error of {@code status} whose message holds {@code fragment} (also for the other server tests). */
    static void assertError(int status, String fragment, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r::body);
        assertTrue(r.body().startsWith("{\"error\":"), r.body());
        assertTrue(r.body().contains(fragment), r.body());
        assertTrue(r.body().endsWith("\"status\":" + status + "}"), r.body());
    }

    @Test
    void predictForecastAndGenerateGiveThePredictorsBits() {
        Tensor x = Tensor.uniform(new Rng(2), 0f, 10f, 2, 12, 1);
        String inputs = Client.array(x.toArray(), 2, 12, 1);
        HttpResponse<String> r = f.post("/predict", "{\"inputs\": " + inputs + "}");
        assertStatus(200, r);
        assertArrayEquals(forecaster.predict(x).toArray(), Client.floats(r.body(), "outputs"));
        r = f.post("/forecast", "{\"horizon\": 5, \"inputs\": " + inputs + "}");
        assertStatus(200, r);
        assertArrayEquals(forecaster.forecast(x, 5).toArray(), Client.floats(r.body(), "forecast"));
        assertTrue(r.body().startsWith("{\"forecast\":[[["), r.body());
        r = f.post("/generate", "{\"seed\": [[1.5], [2.5], [3.5]], \"count\": 4}");
        assertStatus(200, r);
        assertArrayEquals(forecaster.generate(Tensor.of(new float[] {1.5f, 2.5f, 3.5f}, 1, 3, 1), 4).toArray(),
                Client.floats(r.body(), "values"));
    }

    @Test
    void classifyGivesClassesAndProbabilities() {
        Tensor x = Tensor.uniform(new Rng(3), -1f, 1f, 3, 5, 4);
        HttpResponse<String> r = c.post("/classify", "{\"inputs\": " + Client.array(x.toArray(), 3, 5, 4) + "}");
        assertStatus(200, r);
        Classification expected = classifier.classify(x);
        float[] classes = Client.floats(r.body(), "classes");
        for (int b = 0; b < 3; b++) {
            assertEquals(expected.classes()[b], (int) classes[b]);
        }
        assertArrayEquals(expected.probabilities().toArray(), Client.floats(r.body(), "probabilities"));
        assertError(400, "classify needs a model that outputs one score", f.post("/classify", "{\"inputs\": [[[1]]]}"));
    }

    @Test
    void aSessionStepsStoresRestoresResetsAndCloses() {
        HttpResponse<String> opened = f.post("/sessions", "");
        assertStatus(201, opened);
        String id = Client.text(opened.body(), "session");
        SessionState expected = forecaster.newSession();
        float[] inputs = {4f, 6f, 5f, 7f};
        for (int i = 0; i < inputs.length; i += 2) {
            HttpResponse<String> r = f.post("/sessions/" + id + "/step", "{\"inputs\": [[" + inputs[i] + "], [" + inputs[i + 1] + "]]}");
            assertStatus(200, r);
            StepResult s = forecaster.step(expected, new float[] {inputs[i], inputs[i + 1]});
            assertArrayEquals(s.outputs(), Client.floats(r.body(), "outputs"));
            expected = s.state();
        }
        // The state leaves as base64 and comes back into a new session: it steps on exactly.
        String state = Client.text(f.get("/sessions/" + id).body(), "state");
        assertEquals(expected, forecaster.restore(java.util.Base64.getDecoder().decode(state)));
        HttpResponse<String> copy = f.post("/sessions", "{\"state\": \"" + state + "\"}");
        assertStatus(201, copy);
        String copyId = Client.text(copy.body(), "session");
        StepResult next = forecaster.step(expected, new float[] {6f});
        assertArrayEquals(next.outputs(), Client.floats(f.post("/sessions/" + copyId + "/step", "{\"inputs\": [[6]]}").body(), "outputs"));
        assertArrayEquals(next.outputs(), Client.floats(f.post("/sessions/" + id + "/step", "{\"inputs\": [[6]]}").body(), "outputs"));
        // Reset: back to zeros; PUT: any saved state.
        assertStatus(200, f.post("/sessions/" + id + "/reset", null));
        assertArrayEquals(forecaster.step(forecaster.newSession(), new float[] {6f}).outputs(),
                Client.floats(f.post("/sessions/" + id + "/step", "{\"inputs\": [[6]]}").body(), "outputs"));
        assertStatus(200, f.send("PUT", "/sessions/" + id, "{\"state\": \"" + state + "\"}"));
        assertArrayEquals(next.outputs(), Client.floats(f.post("/sessions/" + id + "/step", "{\"inputs\": [[6]]}").body(), "outputs"));
        assertStatus(200, f.send("DELETE", "/sessions/" + id, null));
        assertStatus(200, f.send("DELETE", "/sessions/" + copyId, null));
        assertError(404, "no open session", f.post("/sessions/" + id + "/step", "{\"inputs\": [[6]]}"));
        assertError(400, "state: not an Unroll session state",
                f.post("/sessions", "{\"state\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[20]) + "\"}"));
        assertError(400, "not base64", f.post("/sessions", "{\"state\": \"!!\"}"));
    }

    @Test
    void limitsAreClearFourHundredErrors() {
        assertError(413, "exceeds the limit of 65536 bytes (--max-body)", f.post("/predict", "{\"inputs\": [[[" + "1,".repeat(40_000) + "1]]]}"));
        assertError(413, "more than 8 sequences (the limit, --max-batch)", f.post("/predict", "{\"inputs\": [" + "[[1]],".repeat(8) + "[[1]]]}"));
        assertError(413, "more than 50 steps (the limit, --max-steps)", f.post("/predict", "{\"inputs\": [[" + "[1],".repeat(50) + "[1]]]}"));
        assertError(413, "horizon: 21 exceeds the limit of 20 (--max-horizon)", f.post("/forecast", "{\"inputs\": [[[1]]], \"horizon\": 21}"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Client.text(c.post("/sessions", "{}").body(), "session"));
        }
        assertError(429, "maximum of 3 open sessions (--max-sessions)", c.post("/sessions", "{}"));
        for (String id : ids) {
            assertStatus(200, c.send("DELETE", "/sessions/" + id, null));
        }
    }

    @Test
    void everyOversizedBodyGetsItsAnswerThoughTheServerReadsNoMoreOfIt() {
        // Closing at once with the body unread resets the connection, and the reset can beat the
        // 413 to the client ("header parser received no bytes"): each of these must be answered.
        String body = "{\"inputs\": [[[" + "1,".repeat(200_000) + "1]]]}";
        for (int i = 0; i < 40; i++) {
            assertError(413, "exceeds the limit of 65536 bytes (--max-body)", f.post("/predict", body));
        }
    }

    @Test
    void malformedRequestsAreFourHundredsNamingTheProblem() {
        assertError(400, "malformed JSON", f.post("/predict", "{\"inputs\": [[[1]]"));
        assertError(400, "malformed JSON", f.post("/predict", "not json"));
        assertError(400, "unknown field 'input'; expected {inputs}", f.post("/predict", "{\"input\": [[[1]]]}"));
        assertError(400, "missing field 'inputs'", f.post("/predict", "{}"));
        assertError(400, "malformed JSON: Duplicate field 'inputs'", f.post("/predict", "{\"inputs\": [[[1]]], \"inputs\": [[[1]]]}"));
        assertError(400, "inputs[0][0]: more than 4 features; the model reads 4", c.post("/predict", "{\"inputs\": [[[1, 2, 3, 4, 5]]]}"));
        assertError(400, "inputs[0][1]: 3 features; the model reads 4", c.post("/predict", "{\"inputs\": [[[1, 2, 3, 4], [1, 2, 3]]]}"));
        assertError(400, "inputs[1]: more than 1 steps, but earlier ones have 1", f.post("/predict", "{\"inputs\": [[[1]], [[1], [2]]]}"));
        assertError(400, "inputs[0][0][0]: 1e39 is outside the range of finite floats", f.post("/predict", "{\"inputs\": [[[1e39]]]}"));
        assertError(400, "inputs[0][0][0]: expected a number, got a string", f.post("/predict", "{\"inputs\": [[[\"1\"]]]}"));
        assertError(400, "inputs: expected an array of sequences", f.post("/predict", "{\"inputs\": 3}"));
        assertError(400, "inputs[0]: an empty array", f.post("/predict", "{\"inputs\": [[]]}"));
        assertError(400, "malformed JSON", f.post("/predict", "{\"inputs\": [[[NaN]]]}"));
        assertError(400, "horizon: expected at least 1, got 0", f.post("/forecast", "{\"inputs\": [[[1]]], \"horizon\": 0}"));
        assertError(400, "inputs[0][0][0]: expected a number, got an array", f.post("/predict", "{\"inputs\": " + "[".repeat(20) + "]".repeat(20) + "}"));
        assertError(404, "no endpoint /predictions", f.post("/predictions", "{}"));
        HttpResponse<String> wrongMethod = f.get("/predict");
        assertError(405, "this path takes POST", wrongMethod);
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElse(""));
    }

    @Test
    void aMalformedRequestHurtsNoOtherRequest() {
        Tensor x = Tensor.uniform(new Rng(4), 0f, 10f, 1, 6, 1);
        String good = "{\"inputs\": " + Client.array(x.toArray(), 1, 6, 1) + "}";
        float[] expected = forecaster.predict(x).toArray();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(f.sendAsync("POST", "/predict", i % 10 == 3 ? "{\"inputs\": [[[1], [oops]]]}" : good));
        }
        for (int i = 0; i < replies.size(); i++) {
            HttpResponse<String> r = replies.get(i).join();
            if (i % 10 == 3) {
                assertEquals(400, r.statusCode(), r::body);
            } else {
                assertEquals(200, r.statusCode(), r::body);
                assertArrayEquals(expected, Client.floats(r.body(), "outputs"));
            }
        }
        assertStatus(200, f.get("/health"));
    }

    @Test
    void healthAndMetricsDescribeTheServer() {
        f.post("/predict", "{\"inputs\": [[[1]]]}");
        f.post("/predict", "{\"inputs\": 1}");
        HttpResponse<String> health = f.get("/health");
        assertStatus(200, health);
        assertTrue(health.body().contains("\"status\":\"ok\",\"model\":\"sequential(rnn: rnn(1 -> 16, relu), fc: dense(16 -> 1))\""),
                health.body());
        HttpResponse<String> metrics = f.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String m = metrics.body();
        assertTrue(m.contains("# TYPE unroll_requests_total counter"), m);
        assertTrue(m.matches("(?s).*\nunroll_requests_total\\{endpoint=\"/predict\",status=\"200\"} [1-9][0-9]*\n.*"), m);
        assertTrue(m.matches("(?s).*\nunroll_errors_total\\{endpoint=\"/predict\",status=\"400\"} [1-9][0-9]*\n.*"), m);
        assertTrue(m.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"+Inf\"}"), m);
        assertTrue(m.contains("unroll_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.00005\"}"), m);
        assertTrue(m.contains("\nunroll_sessions "), m);
        assertTrue(m.contains("unroll_model_info{model=\"sequential(rnn: rnn(1 -> 16, relu), fc: dense(16 -> 1))\",kernels=\""), m);
    }

    @Test
    void stopLetsTheRequestInFlightFinishThenRefusesConnections() throws Exception {
        // A batcher that waits 400 ms for company keeps a session step in flight while the server stops.
        ModelServer server = ModelServer.start(forecaster, ServerOptions.builder().port(0).stepWait(Duration.ofMillis(400)).build());
        Client client = new Client(server.url());
        String id = Client.text(client.post("/sessions", "").body(), "session");
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync("POST", "/sessions/" + id + "/step", "{\"inputs\": [[1]]}");
        Thread.sleep(100);
        assertError(409, "taking a step", client.post("/sessions/" + id + "/step", "{\"inputs\": [[2]]}"));
        assertTrue(server.stop(), "nothing left in flight");
        HttpResponse<String> r = inFlight.join();
        assertEquals(200, r.statusCode(), r::body);
        assertArrayEquals(forecaster.step(forecaster.newSession(), new float[] {1f}).outputs(), Client.floats(r.body(), "outputs"));
        assertEquals("close", r.headers().firstValue("connection").orElse(""));
        assertThrows(java.io.UncheckedIOException.class, () -> client.get("/health"));
    }
}
