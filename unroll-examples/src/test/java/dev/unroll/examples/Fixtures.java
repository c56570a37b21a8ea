package dev.unroll.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON fixtures written by the generators under {@code tools/fixtures/}. */
final class Fixtures {
    private Fixtures() {
    }

    static JsonNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture /fixtures/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of arrays as a matrix. */
    static Tensor matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return Tensor.of(m);
    }
}
