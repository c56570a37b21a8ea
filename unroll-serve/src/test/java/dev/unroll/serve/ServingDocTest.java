package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.infer.Predictor;
import dev.unroll.infer.Standardization;
import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code curl} examples of {@code docs/serving.md}, run: every {@code $ curl} line of its
 * console blocks goes to a server of a model of the documented shapes (the seed's forecaster on
 * port 8080, W1's classifier on 8081, random weights), and its answer must match the documented
 * one in everything but the numbers (and session ids, which are random): status, keys, array
 * shapes, messages.
 */
class ServingDocTest {
    private static final String NUMBER = "-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?";

    /** One documented command and the answer printed under it. */
    private record Example(String command, String expected) {
    }

    private static List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        boolean console = false;
        String command = null;
        StringBuilder answer = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("```")) {
                if (command != null) {
                    out.add(new Example(command, answer.toString().strip()));
                    command = null;
                }
                console = line.equals("```console");
                continue;
            }
            if (!console) {
                continue;
            }
            if (line.startsWith("$ ")) {
                if (command != null) {
                    out.add(new Example(command, answer.toString().strip()));
                }
                command = line.startsWith("$ curl ") ? line.substring(2) : null;
                answer.setLength(0);
            } else if (command != null) {
                answer.append(line).append('\n');
            }
        }
        return out;
    }

    /** Words of a shell command line, with single quotes. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : command.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(ch);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    private static String skeleton(String json) {
        return json.replaceAll(NUMBER, "#");
    }

    @Test
    void everyCurlExampleGetsTheDocumentedAnswer() throws Exception {
        List<Example> examples = examples(Files.readAllLines(Path.of("../docs/serving.md")));
        assertTrue(examples.size() >= 15, "examples found: " + examples.size());
        Rng rng = new Rng(1);
        Predictor forecaster = Predictor.builder(Sequential.of(Recurrent.builder(CellType.RNN, 1, 100).activation(Activation.RELU)
                .rng(rng).build(), new Dense(100, 1, rng))).preprocessing(new Standardization(0, 1).withWindow(20)).build();
        Predictor classifier = Predictor.of(Sequential.of(Recurrent.builder(CellType.RNN, 28, 150).returnSequences(false).rng(rng).build(),
                new Dense(150, 10, rng)));
        String image = "{\"inputs\": " + Client.array(Tensor.uniform(rng, 0f, 1f, 28 * 28).toArray(), 1, 28, 28) + "}";
        try (ModelServer f = ModelServer.start(forecaster, ServerOptions.builder().port(0).build());
             ModelServer c = ModelServer.start(classifier, ServerOptions.builder().port(0).build())) {
            Map<String, String> ids = new HashMap<>();
            for (Example e : examples) {
                List<String> w = words(e.command());
                String method = null;
                String body = null;
                String url = null;
                for (int i = 1; i < w.size(); i++) {
                    switch (w.get(i)) {
                        case "-s" -> { }
                        case "-X" -> method = w.get(++i);
                        case "-d" -> body = w.get(++i);
                        default -> url = w.get(i);
                    }
                }
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    url = url.replace(id.getKey(), id.getValue());
                }
                if ("@image.json".equals(body)) {
                    body = image;
                }
                ModelServer server = url.startsWith("localhost:8081") ? c : f;
                String path = url.substring(url.indexOf('/'));
                HttpResponse<String> r = new Client(server.url()).send(method != null ? method : body != null ? "POST" : "GET", path, body);
                String actual = r.body();
                String documentedId = e.expected().replaceAll("(?s).*\"session\":\"([^\"]+)\".*", "$1");
                if (!documentedId.equals(e.expected()) && r.statusCode() == 201) {
                    ids.put(documentedId, Client.text(actual, "session"));
                }
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    actual = actual.replace(id.getValue(), id.getKey());
                }
                int status = e.expected().contains("\"error\":") ? Integer.parseInt(e.expected().replaceAll("(?s).*\"status\":(\\d+)}$", "$1"))
                        : path.equals("/sessions") ? 201 : 200;
                assertEquals(status, r.statusCode(), e.command() + "\n" + actual);
                assertEquals(skeleton(e.expected()), skeleton(actual), e.command());
            }
        }
    }
}
