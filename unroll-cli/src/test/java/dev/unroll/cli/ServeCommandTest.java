package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unroll serve} as a process: it prints where it listens, answers requests, and on SIGTERM
 * lets the request in flight finish before it prints its last line and exits; bad options are
 * one-line errors.
 */
class ServeCommandTest {
    @TempDir
    static Path shared;
    static Path forecaster;

    @BeforeAll
    static void train() {
        forecaster = Models.forecaster(shared);
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void servesUntilSigtermAndFinishesTheRequestInFlight() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A session step waits half a second for others to batch with: it is in flight when SIGTERM comes.
        Process server = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "dev.unroll.cli.Main", "serve", "--model", forecaster.toString(), "--port", "0", "--step-wait-us", "500000")
                .redirectError(shared.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String url = null;
            for (String line; url == null && (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.startsWith("serving on ")) {
                    url = line.substring("serving on ".length(), line.indexOf(' ', "serving on ".length()));
                }
            }
            assertTrue(url != null && url.startsWith("http://127.0.0.1:"), String.join("\n", lines) + "\nstderr:\n"
                    + Files.readString(shared.resolve("serve.err")));
            // The rest of its output, read until it exits.
            CompletableFuture<List<String>> rest = CompletableFuture.supplyAsync(() -> out.lines().toList());
            assertTrue(lines.get(0).startsWith("model: sequential(rnn: rnn(1 -> 8, relu), fc: dense(8 -> 1))"), lines.get(0));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> predicted = http.send(post(url + "/predict", "{\"inputs\": [[[0.5], [0.7], [0.9]]]}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, predicted.statusCode(), predicted.body());
            assertTrue(predicted.body().startsWith("{\"outputs\":[[["), predicted.body());
            HttpResponse<String> opened = http.send(post(url + "/sessions", ""), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, opened.statusCode(), opened.body());
            String id = opened.body().replaceAll(".*\"session\":\"([^\"]+)\".*", "$1");
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(post(url + "/sessions/" + id + "/step",
                    "{\"inputs\": [[0.5]]}"), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(150);
            server.toHandle().destroy(); // SIGTERM (Process.destroy would also close its output)
            HttpResponse<String> stepped = inFlight.get(20, TimeUnit.SECONDS);
            assertEquals(200, stepped.statusCode(), stepped.body());
            assertTrue(stepped.body().startsWith("{\"outputs\":[["), stepped.body());
            lines.addAll(rest.get(20, TimeUnit.SECONDS));
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server exits after SIGTERM");
            String all = String.join("\n", lines);
            assertTrue(all.contains("stopped after "), all);
            assertEquals("requests=3", lines.get(lines.size() - 1), all);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Cli.Result port = Cli.run("serve", "--model", forecaster.toString(), "--port", "70000");
        assertEquals(Main.EXIT_BAD_INPUT, port.exitCode(), port::toString);
        assertTrue(port.err().contains("--port must be at most 65535, got 70000"), port::toString);
        Cli.Result batch = Cli.run("serve", "--model", forecaster.toString(), "--max-batch", "0");
        assertEquals(Main.EXIT_BAD_INPUT, batch.exitCode(), batch::toString);
        assertTrue(batch.err().contains("--max-batch must be at least 1, got 0"), batch::toString);
        Cli.Result missing = Cli.run("serve", "--model", shared.resolve("nothing.safetensors").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("no such file"), missing::toString);
    }
}
