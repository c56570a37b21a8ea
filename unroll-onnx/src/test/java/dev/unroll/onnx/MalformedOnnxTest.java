package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Layer;
import dev.unroll.nn.LayerNormalization;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed files are clear errors, never a crash: seeded mutations of valid files — bit flips,
 * truncations, insertions, huge and overlong varints, copied spans — either still import (and the
 * model runs) or fail with {@link OnnxException}; nothing else escapes from reading and importing.
 */
class MalformedOnnxTest {
    private static final int MUTATIONS_PER_FILE = 1000;

    private static List<byte[]> validFiles() throws Exception {
        Rng rng = new Rng(4);
        List<byte[]> files = new ArrayList<>();
        Recurrent lstm = Recurrent.builder(CellType.LSTM, 3, 3).bidirectional(true).rng(rng).build();
        Layer a = Sequential.of(lstm, new LayerNormalization(6), new Dense(6, 2, rng));
        files.add(OnnxExport.toModel(a, new OnnxExport.Options(true, true), Map.of("app.note", "x")).toBytes());
        Layer b = Sequential.of(Recurrent.builder(CellType.GRU, 3, 2).layers(2).returnSequences(false).rng(rng).build(), new Dense(2, 3, rng));
        files.add(OnnxExport.toModel(b, OnnxExport.Options.PLAIN, Map.of()).toBytes());
        files.add(Files.readAllBytes(Path.of("src/test/resources/fixtures/pytorch-2.13/lstm_classifier_2layers_bidirectional.onnx")));
        files.add(Files.readAllBytes(Path.of("src/test/resources/fixtures/pytorch-1.13/gru_time_first_2layers.onnx")));
        return files;
    }

    @Test
    void seededMutationsAreImportedOrRejectedWithOnnxExceptionOnly() throws Exception {
        int rejected = 0;
        int imported = 0;
        List<byte[]> files = validFiles();
        for (int f = 0; f < files.size(); f++) {
            byte[] valid = files.get(f);
            OnnxImport.read(valid);
            for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
                long seed = 1000L * f + i;
                byte[] mutated = mutate(valid, new Random(seed));
                try {
                    OnnxImport.ImportedModel m = OnnxImport.read(mutated);
                    run(m.model());
                    imported++;
                } catch (OnnxException expected) {
                    assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "seed " + seed + ": empty message");
                    rejected++;
                } catch (Throwable e) {
                    throw new AssertionError("file " + f + ", mutation seed " + seed + ": " + e + " escaped", e);
                }
            }
        }
        System.out.println("mutations: " + rejected + " rejected with OnnxException, " + imported + " still imported and ran");
        assertTrue(rejected > files.size() * MUTATIONS_PER_FILE / 2, "most mutations should be rejected, got " + rejected);
    }

    /** The imported model, run on a tiny input of its feature count (a mutated weight may give NaN, never an exception). */
    private static void run(Layer model) {
        Sequential s = model instanceof Sequential q ? q : Sequential.of(model);
        int features = firstInputSize(s);
        s.predict(Tensor.randn(new Rng(0), 2, 3, features), new int[] {3, 1});
    }

    private static int firstInputSize(Sequential s) {
        Layer first = s.layers().get(0);
        if (first instanceof Recurrent r) {
            return r.inputSize();
        }
        if (first instanceof Dense d) {
            return d.inputSize();
        }
        return ((LayerNormalization) first).features();
    }

    private static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        switch (r.nextInt(7)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> {
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                return insert(b, r.nextInt(b.length + 1), junk);
            }
            case 3 -> {
                // The largest varint, 2^64 - 1: a length or a tag far past anything real.
                byte[] huge = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
                return insert(b, r.nextInt(b.length + 1), huge);
            }
            case 4 -> {
                byte[] overlong = new byte[11];
                Arrays.fill(overlong, (byte) 0x80);
                return insert(b, r.nextInt(b.length + 1), overlong);
            }
            case 5 -> {
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(64));
                return insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, from, to));
            }
            default -> {
                int at = r.nextInt(b.length);
                b[at] = (byte) (r.nextBoolean() ? 0xFF : r.nextInt(256));
                return b;
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + more.length);
        out.write(b, 0, at);
        out.write(more, 0, more.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    @Test
    void craftedFilesFailWithMessagesNamingTheProblem() {
        expect(new byte[0], "no graph");
        // Field 7 (graph), length-delimited, claiming 2^62 bytes.
        expect(new byte[] {0x3A, -128, -128, -128, -128, -128, -128, -128, -128, 0x40}, "claims 4611686018427387904 bytes, but only 0 remain");
        // A tag whose varint never ends.
        expect(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, "varint longer than");
        // Wire type 3 (groups) is obsolete.
        expect(new byte[] {0x0B}, "wire type 3");
        // A tensor claiming [2^31, 2^31] elements with 4 bytes of data.
        ProtoWriter w = new ProtoWriter();
        w.message(7, graph -> graph.message(5, t -> {
            t.int64(1, 1L << 31);
            t.int64(1, 1L << 31);
            t.int64(2, 1);
            t.bytes(9, new byte[4]);
        }));
        expect(w.toByteArray(), "has more elements than a file can hold");
        // Metadata nested deeper than any model description: the JSON parser's depth bound, not the stack, stops it.
        OnnxModel valid = OnnxExport.toModel(new Dense(3, 2, new Rng(1)), OnnxExport.Options.PLAIN, Map.of());
        OnnxModel deep = new OnnxModel(valid.irVersion(), valid.opsets(), "", "", valid.graph(), Map.of("unroll.model", "[".repeat(100_000)));
        expect(deep.toBytes(), "nested more than " + dev.unroll.io.Json.maxDepth() + " levels deep");
    }

    private static void expect(byte[] bytes, String fragment) {
        try {
            OnnxImport.read(bytes);
            fail("should be rejected: " + Arrays.toString(bytes));
        } catch (OnnxException e) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }
}
