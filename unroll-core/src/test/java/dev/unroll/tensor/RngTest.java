package dev.unroll.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedSameStream() {
        Rng a = new Rng(123);
        Rng b = new Rng(123);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void stateResumesTheStream() {
        Rng a = new Rng(5);
        a.nextGaussian();
        Rng resumed = new Rng(a.state());
        assertEquals(a.nextGaussian(), resumed.nextGaussian());
        assertEquals(a.nextInt(17), resumed.nextInt(17));
    }

    @Test
    void gaussianMomentsAreRight() {
        Rng r = new Rng(42);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, sq / n, 0.02);
    }

    @Test
    void nextIntIsUniformEnough() {
        Rng r = new Rng(9);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, Arrays.toString(counts));
        }
    }

    @Test
    void permutationContainsEveryIndexOnce() {
        int[] p = new Rng(3).permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
    }
}
