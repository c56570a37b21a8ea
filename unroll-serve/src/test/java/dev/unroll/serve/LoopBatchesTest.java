package dev.unroll.serve;

import static dev.unroll.serve.ModelServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.infer.Predictor;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * One-sequence requests read in one pass of an event loop run as one batch: grouped by kind and
 * shape, run once after the pass, each answered as if alone; over a real server, replies under
 * concurrent load equal the replies to the same requests sent one at a time.
 */
class LoopBatchesTest {
    /** A kind that records the batch sizes it ran and answers each row with its first value and its row. */
    private static final class Recording implements LoopBatches.Kind {
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public java.util.function.IntFunction<Reply> apply(Tensor x) {
            sizes.add(x.dim(0));
            int size = x.size() / x.dim(0);
            return i -> Reply.json(200, (x.data()[i * size] + "@" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String body(CompletableFuture<Reply> r) {
        return new String(r.join().body(), StandardCharsets.UTF_8);
    }

    @Test
    void groupsByKindAndShapeAndRunAfterThePass() {
        List<Runnable> loop = new ArrayList<>();
        LoopBatches batches = new LoopBatches(2);
        Recording a = new Recording();
        Recording b = new Recording();
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        replies.add(batches.submit(a, new float[] {1, 0}, 1, 2, loop::add));
        replies.add(batches.submit(a, new float[] {2, 0}, 1, 2, loop::add));
        replies.add(batches.submit(a, new float[] {3, 0, 0, 0}, 2, 2, loop::add));
        replies.add(batches.submit(b, new float[] {4, 0}, 1, 2, loop::add));
        replies.add(batches.submit(a, new float[] {5, 0}, 1, 2, loop::add));
        // One task for the pass, and nothing has run before it.
        assertEquals(1, loop.size());
        assertTrue(a.sizes.isEmpty() && replies.stream().noneMatch(CompletableFuture::isDone));
        loop.get(0).run();
        // a [1, 2]: three requests, at most two a batch; a [2, 2]: one; b: one.
        assertEquals(List.of(2, 1, 1), a.sizes);
        assertEquals(List.of(1), b.sizes);
        assertEquals(List.of("1.0@0", "2.0@1", "3.0@0", "4.0@0", "5.0@0"), replies.stream().map(LoopBatchesTest::body).toList());
        assertEquals(4, batches.batches());
        assertEquals(5, batches.rows());
        // The next pass starts afresh.
        CompletableFuture<Reply> later = batches.submit(b, new float[] {6, 0}, 1, 2, loop::add);
        assertEquals(2, loop.size());
        loop.get(1).run();
        assertEquals("6.0@0", body(later));
    }

    @Test
    void aFailingBatchFailsItsOwnRequestsOnly() {
        List<Runnable> loop = new ArrayList<>();
        LoopBatches batches = new LoopBatches(8);
        LoopBatches.Kind failing = x -> {
            throw new IllegalArgumentException("no");
        };
        Recording fine = new Recording();
        CompletableFuture<Reply> bad = batches.submit(failing, new float[] {1}, 1, 1, loop::add);
        CompletableFuture<Reply> good = batches.submit(fine, new float[] {2}, 1, 1, loop::add);
        loop.get(0).run();
        assertTrue(bad.isCompletedExceptionally());
        try {
            bad.join();
        } catch (CompletionException e) {
            assertTrue(e.getCause() instanceof IllegalArgumentException);
        }
        assertFalse(good.isCompletedExceptionally());
        assertEquals("2.0@0", body(good));
    }

    @Test
    void underConcurrentLoadEveryReplyIsTheOneItGetsAlone() throws Exception {
        Rng rng = new Rng(5);
        Predictor classifier = Predictor.of(Sequential.of(Recurrent.builder(CellType.LSTM, 3, 10).returnSequences(false).rng(rng).build(),
                new Dense(10, 4, rng)));
        Predictor perStep = Predictor.of(Sequential.of(Recurrent.builder(CellType.GRU, 3, 7).rng(rng).build(), new Dense(7, 2, rng)));
        ServerOptions one = ServerOptions.builder().port(0).ioThreads(1).build();
        try (ModelServer classifies = ModelServer.start(classifier, one); ModelServer predicts = ModelServer.start(perStep, one)) {
            for (ModelServer server : List.of(classifies, predicts)) {
                String path = server == classifies ? "/classify" : "/predict";
                Client client = new Client(server.url());
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    // Two lengths, so that a pass holds groups of two shapes.
                    int steps = 5 + i % 2;
                    bodies.add("{\"inputs\": " + Client.array(Tensor.uniform(new Rng(100 + i), -1f, 1f, steps * 3).toArray(), 1, steps, 3) + "}");
                }
                List<String> alone = new ArrayList<>();
                for (String b : bodies) {
                    HttpResponse<String> r = client.post(path, b);
                    assertEquals(200, r.statusCode(), r.body());
                    alone.add(r.body());
                }
                long batchesBefore = metric(client, "unroll_loop_batches_total");
                long rowsBefore = metric(client, "unroll_loop_batched_sequences_total");
                boolean batched = false;
                for (int round = 0; round < 20 && !batched; round++) {
                    List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
                    for (String b : bodies) {
                        together.add(client.sendAsync("POST", path, b));
                    }
                    for (int i = 0; i < bodies.size(); i++) {
                        HttpResponse<String> r = together.get(i).get();
                        assertEquals(200, r.statusCode(), r.body());
                        assertEquals(alone.get(i), r.body(), path + " request " + i + ": the reply it gets alone");
                    }
                    long batches = metric(client, "unroll_loop_batches_total") - batchesBefore;
                    long rows = metric(client, "unroll_loop_batched_sequences_total") - rowsBefore;
                    batched = rows > batches;
                }
                assertTrue(batched, path + ": concurrent requests on one event loop ran in batches of more than one");
                // A malformed request among them is its own 400.
                assertError(400, "inputs", client.post(path, "{\"inputs\": [[[1, 2]]]}"));
            }
        }
    }

    private static long metric(Client client, String name) {
        for (String line : client.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
