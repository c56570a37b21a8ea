package dev.unroll.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MutatorTest {
    private static final byte[] SEED = "{\"shape\": [2, 3], \"data_offsets\": [0, 24]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSameSeedGivesTheSameInputs() {
        Mutator a = new Mutator(7);
        Mutator b = new Mutator(7);
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(a.mutate(SEED, SEED), b.mutate(SEED, SEED));
        }
    }

    @Test
    void mutationsAreVariedAndReachExtremes() {
        Mutator m = new Mutator(1);
        Set<String> distinct = new HashSet<>();
        boolean longer = false;
        boolean shorter = false;
        boolean extremeNumber = false;
        for (int i = 0; i < 2000; i++) {
            byte[] out = m.mutate(SEED, SEED);
            String text = new String(out, StandardCharsets.ISO_8859_1);
            distinct.add(text);
            longer |= out.length > 4 * SEED.length;
            shorter |= out.length < SEED.length / 2;
            extremeNumber |= text.contains("2147483648") || text.contains("1e400");
        }
        assertTrue(distinct.size() > 1800, "distinct inputs: " + distinct.size());
        assertTrue(longer && shorter && extremeNumber, "repeated chunks, truncations and extreme numbers all occur");
    }
}
