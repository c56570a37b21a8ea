package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GatherTest {
    /** Three examples of shape [2, 2]: example i holds 10i, 10i+1, 10i+2, 10i+3. */
    private static final Tensor THREE = Tensor.of(new float[] {
        0, 1, 2, 3,
        10, 11, 12, 13,
        20, 21, 22, 23,
    }, 3, 2, 2);

    @Test
    void rowsComeInTheOrderOfTheIndicesRepeatsIncluded() {
        Tensor picked = Gather.rows(THREE, new int[] {2, 0, 2});
        assertArrayEquals(new int[] {3, 2, 2}, picked.shape());
        assertArrayEquals(new float[] {20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23}, picked.toArray());
        assertArrayEquals(new int[] {0, 2, 2}, Gather.rows(THREE, new int[0]).shape());
    }

    @Test
    void rowsOfAViewStartAtItsOffset() {
        Tensor lastTwo = Tensor.wrap(THREE.data(), 4, 2, 2, 2);
        assertArrayEquals(new float[] {20, 21, 22, 23}, Gather.rows(lastTwo, new int[] {1}).toArray());
    }

    @Test
    void elementsFollowTheIndices() {
        assertArrayEquals(new int[] {7, 5, 7}, Gather.elements(new int[] {5, 6, 7}, new int[] {2, 0, 2}));
    }

    @Test
    void anIndexOutOfRangeIsNamedWithItsPosition() {
        assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> Gather.rows(THREE, new int[] {0, 3})),
                "index 3 at position 1 is outside [0, 3)");
        assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> Gather.elements(new int[2], new int[] {-1})),
                "index -1 at position 0 is outside [0, 2)");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Gather.rows(Tensor.scalar(1), new int[] {0})),
                "expected a tensor [N, ...], got a scalar");
    }
}
