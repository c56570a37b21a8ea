package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LabeledDataTest {
    private static LabeledData fourExamples() {
        return new LabeledData(Tensor.of(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2), new int[] {3, 1, 4, 1});
    }

    @Test
    void needsOneLabelPerExample() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(Tensor.zeros(3, 2), new int[2])), "3 examples but 2 labels");
    }

    @Test
    void selectGathersInputsAndLabelsTogether() {
        LabeledData batch = fourExamples().select(new int[] {3, 0});
        assertArrayEquals(new float[] {30, 31, 0, 1}, batch.inputs().toArray());
        assertArrayEquals(new int[] {1, 3}, batch.labels());
        assertEquals(2, batch.size());
    }

    @Test
    void firstIsAPrefixView() {
        LabeledData data = fourExamples();
        LabeledData prefix = data.first(3);
        assertArrayEquals(new int[] {3, 2}, prefix.inputs().shape());
        assertArrayEquals(new int[] {3, 1, 4}, prefix.labels());
        data.inputs().set(99f, 1, 0);
        assertEquals(99f, prefix.inputs().get(1, 0), "shares the storage");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> data.first(-1)),
                "first -1 examples requested, but there are 4");
    }

    @Test
    void impliedClassesIsTheLargestLabelPlusOne() {
        assertEquals(5, fourExamples().impliedClasses());
        assertEquals(0, new LabeledData(Tensor.zeros(0, 2), new int[0]).impliedClasses());
    }
}
