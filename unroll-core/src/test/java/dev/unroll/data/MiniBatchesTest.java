package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.Rng;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniBatchesTest {
    private static int[] concatenated(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void theLastPartialBatchIsKept() {
        MiniBatches batches = new MiniBatches(10, 4);
        assertEquals(3, batches.batchesPerEpoch());
        List<int[]> epoch = batches.inOrder();
        assertEquals(3, epoch.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, epoch.get(0));
        assertArrayEquals(new int[] {8, 9}, epoch.get(2));
        assertEquals(2, new MiniBatches(8, 4).batchesPerEpoch());
        assertEquals(0, new MiniBatches(0, 4).shuffled(new Rng(1)).size());
    }

    @Test
    void aShuffledEpochVisitsEveryExampleOnce() {
        List<int[]> epoch = new MiniBatches(103, 10).shuffled(new Rng(4));
        assertEquals(11, epoch.size());
        assertEquals(3, epoch.get(10).length);
        int[] all = concatenated(epoch);
        int[] sorted = all.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 103; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(sorted, all), "shuffled, not in order");
    }

    @Test
    void sameSeedSameEpochsAndEachEpochANewOrder() {
        MiniBatches batches = new MiniBatches(50, 8);
        Rng a = new Rng(21);
        Rng b = new Rng(21);
        int[] firstEpoch = concatenated(batches.shuffled(a));
        int[] secondEpoch = concatenated(batches.shuffled(a));
        assertArrayEquals(firstEpoch, concatenated(batches.shuffled(b)));
        assertArrayEquals(secondEpoch, concatenated(batches.shuffled(b)));
        assertFalse(Arrays.equals(firstEpoch, secondEpoch));
        assertArrayEquals(new Rng(21).permutation(50), firstEpoch, "Fisher–Yates from Rng.permutation");
    }

    @Test
    void badSizesAreRejected() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new MiniBatches(10, 0)),
                "batch size must be at least 1, got 0");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new MiniBatches(-1, 5)),
                "must not be negative, got -1");
    }
}
