package dev.unroll.fuzz;

import java.util.List;

/**
 * A reader of untrusted input under test: bytes in; it either succeeds or throws one of the
 * exceptions it documents for bad input. Anything else that comes out — another exception, an
 * {@link Error}, a wrong answer the target checks itself ({@link AssertionError}), or no answer
 * within the time limit — is a finding.
 */
public interface FuzzTarget {
    /** A short name: the directory of its seeds and regressions. */
    String name();

    /** Valid inputs to mutate. */
    List<byte[]> seeds();

    /** Reads one input. */
    void run(byte[] input) throws Exception;

    /** True when {@code t} is an exception the reader documents for bad input. */
    boolean documented(Throwable t);

    /** A new input from a seed (byte-level by default; a target may mutate at the level of its tokens). */
    default byte[] mutate(byte[] seed, byte[] other, Mutator mutator) {
        return mutator.mutate(seed, other);
    }
}
