package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code unroll bench}: the GEMM probe end to end (small, so the test stays quick) and bad ids. */
class BenchCommandTest {

    @Test
    void gemmPrintsItsFigureLast() {
        Cli.Result r = Cli.run("bench", "gemm", "--size", "48", "--threads", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("gemm size=48 threads=1"), r.out());
        assertTrue(r.lastLine().matches("gflops=[0-9.]+"), r.lastLine());
        assertTrue(Double.parseDouble(r.lastLine().substring("gflops=".length())) > 0, r.lastLine());
    }

    @Test
    void unknownWorkloadIsABadInput() {
        Cli.Result r = Cli.run("bench", "W9");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("unknown benchmark 'W9'") && r.err().contains("W6-lstm"), r.err());
    }

    @Test
    void badSizesAndThreadsAreRejected() {
        assertEquals(Main.EXIT_BAD_INPUT, Cli.run("bench", "gemm", "--size", "0").exitCode());
        assertEquals(Main.EXIT_BAD_INPUT, Cli.run("bench", "gemm", "--threads", "0").exitCode());
    }
}
