package dev.unroll.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A real HTTP/1.1 client for the server tests, and reading numbers back out of its JSON answers. */
final class Client {
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;

    Client(String base) {
        this.base = base;
    }

    HttpResponse<String> send(String method, String path, String body) {
        try {
            return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String body) {
        return http.sendAsync(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
    }

    /** Every number inside field {@code name} of a JSON object, in order, each read straight as a float. */
    static float[] floats(String json, String name) {
        try (JsonParser p = JSON.createParser(json)) {
            float[] out = new float[16];
            int n = 0;
            int depth = 0;
            boolean inside = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (!inside) {
                    if (t == JsonToken.FIELD_NAME && p.currentName().equals(name) && depth == 1) {
                        inside = true;
                        p.nextToken();
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            return new float[] {p.getFloatValue()};
                        }
                        depth = 0;
                        continue;
                    }
                    depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                    continue;
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    if (depth-- == 0) {
                        return Arrays.copyOf(out, n);
                    }
                } else if (t.isNumeric()) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, 2 * n);
                    }
                    out[n++] = p.getFloatValue();
                }
            }
            throw new IllegalArgumentException("no array field '" + name + "' in " + json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string field {@code name} of a JSON object at the top level. */
    static String text(String json, String name) {
        try (JsonParser p = JSON.createParser(json)) {
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && depth == 1 && p.currentName().equals(name)) {
                    p.nextToken();
                    return p.getText();
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            }
            throw new IllegalArgumentException("no field '" + name + "' in " + json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [[[a], [b], …]]}-style JSON of a tensor's values with the given shape. */
    static String array(float[] values, int... shape) {
        StringBuilder sb = new StringBuilder();
        write(sb, values, new int[] {0}, shape, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, float[] v, int[] at, int[] shape, int d) {
        sb.append('[');
        for (int i = 0; i < shape[d]; i++) {
            sb.append(i == 0 ? "" : ",");
            if (d == shape.length - 1) {
                sb.append(v[at[0]++]);
            } else {
                write(sb, v, at, shape, d + 1);
            }
        }
        sb.append(']');
    }
}
