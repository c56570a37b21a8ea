package dev.unroll.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input that once broke a reader — committed under {@code regressions/<target>/}, plus a few
 * too large to commit, made here — must now be rejected as the reader documents, within the time
 * limit.
 */
class RegressionTest {
    @TempDir
    static Path scratch;
    static Path corpus;
    static Map<String, FuzzTarget> targets;

    @BeforeAll
    static void targets() throws IOException, URISyntaxException {
        corpus = Path.of(RegressionTest.class.getResource("/regressions").toURI());
        targets = new java.util.LinkedHashMap<>();
        for (FuzzTarget t : Targets.all(scratch, true, corpus)) {
            targets.put(t.name(), t);
        }
    }

    @TestFactory
    Stream<DynamicTest> committedReproducersAreRejected() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String target : targets.keySet()) {
            Path dir = corpus.resolve(target);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    if (target.equals("cli") && !file.toString().endsWith(".args")) {
                        continue; // files the command lines are given, not command lines
                    }
                    tests.add(DynamicTest.dynamicTest(target + "/" + file.getFileName(), () -> assertRejected(target, Files.readAllBytes(file))));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> largeReproducersAreRejectedQuickly() {
        return Stream.of(
                DynamicTest.dynamicTest("csv: a cell of 400,000 quotes", () -> assertRejected("csv",
                        ("y\n1\nx" + "\"".repeat(400_000) + "\n").getBytes(StandardCharsets.UTF_8))),
                DynamicTest.dynamicTest("csv: a line of 10 MB", () -> assertRejected("csv",
                        ("y\n" + "1".repeat(10_000_000) + "\n").getBytes(StandardCharsets.UTF_8))),
                DynamicTest.dynamicTest("idx: 1 pixel announced, 256 MiB of zeros compressed after it", () -> assertRejected("idx-images",
                        gzipBomb())));
    }

    private static void assertRejected(String target, byte[] input) {
        Fuzzer.Outcome o = new Fuzzer(Duration.ofSeconds(5)).runOne(targets.get(target), input);
        assertNull(o.problem(), () -> target + ": " + o.problem());
        assertTrue(o.rejected(), target + ": rejected as bad input, not accepted");
    }

    private static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(ByteBuffer.allocate(17).putInt(0x803).putInt(1).putInt(1).putInt(1).put((byte) 7).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                gz.write(zeros);
            }
        }
        return bytes.toByteArray();
    }
}
