package dev.unroll.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded fuzzing run of every build: 10,000 mutated inputs per parser and 150 mutated command
 * lines, from a fixed seed; none may end other than as its reader documents. Longer runs:
 * {@code unroll-fuzz/run} (docs/robustness.md).
 */
class FuzzTest {
    private static final int INPUTS_PER_PARSER = 10_000;
    private static final int COMMAND_LINES = 150;

    @TempDir
    Path scratch;

    @Test
    void everyParserRejectsMutatedInputsAsItDocuments() throws IOException {
        Fuzzer fuzzer = new Fuzzer(Duration.ofSeconds(5));
        for (FuzzTarget target : Targets.all(scratch, false, null)) {
            Fuzzer.Result r = fuzzer.run(target, INPUTS_PER_PARSER, 20261201L);
            System.out.printf("%s: %d inputs, %d rejected, %d findings, %.1f s%n", r.target(), r.inputs(), r.rejected(),
                    r.findings().size(), r.seconds());
            assertEquals(List.of(), r.findings().stream().limit(5).map(Fuzzer.Finding::toString).toList(), target.name());
            assertTrue(r.rejected() > r.inputs() / 10, target.name() + ": the mutations reach the checks");
        }
    }

    @Test
    void theCommandLineAnswersMutatedArgumentsWithOneErrorLine() throws IOException {
        FuzzTarget cli = Targets.named("cli", scratch, null);
        List<Path> before = entries(Path.of(""));
        Fuzzer.Result r = new Fuzzer(Duration.ofSeconds(20)).run(cli, COMMAND_LINES, 20261201L);
        assertEquals(before, entries(Path.of("")), "the runs wrote only inside their scratch directory");
        System.out.printf("cli: %d inputs, %d rejected, %d findings, %.1f s%n", r.inputs(), r.rejected(), r.findings().size(), r.seconds());
        assertEquals(List.of(), r.findings().stream().limit(5).map(Fuzzer.Finding::toString).toList());
        assertTrue(r.rejected() > r.inputs() / 4, "most mutated command lines are bad input");
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
