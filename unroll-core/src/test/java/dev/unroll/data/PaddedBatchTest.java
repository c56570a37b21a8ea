package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedBatchTest {
    /** The seed's §8 batch: four instances of 3 features, lengths 2, 1, 2, 2. */
    private static final List<float[][]> SEED_SEQUENCES = List.of(
            new float[][] {{0, 1, 2}, {9, 8, 7}},
            new float[][] {{3, 4, 5}},
            new float[][] {{6, 7, 8}, {6, 5, 4}},
            new float[][] {{9, 0, 1}, {3, 2, 1}});

    private static final float[] SEED_PADDED = {
        0, 1, 2, 9, 8, 7,
        3, 4, 5, 0, 0, 0,
        6, 7, 8, 6, 5, 4,
        9, 0, 1, 3, 2, 1,
    };

    @Test
    void arraysArePaddedWithZerosToTheLongest() {
        PaddedBatch batch = PaddedBatch.fromArrays(SEED_SEQUENCES);
        assertArrayEquals(new int[] {4, 2, 3}, batch.inputs().shape());
        assertArrayEquals(SEED_PADDED, batch.inputs().toArray());
        assertArrayEquals(new int[] {2, 1, 2, 2}, batch.lengths());
    }

    @Test
    void tensorsPadLikeArraysViewsIncluded() {
        float[] storage = {-1, 0, 1, 2, 9, 8, 7};
        List<Tensor> sequences = List.of(
                Tensor.wrap(storage, 1, 2, 3),
                Tensor.of(SEED_SEQUENCES.get(1)),
                Tensor.of(SEED_SEQUENCES.get(2)),
                Tensor.of(SEED_SEQUENCES.get(3)));
        PaddedBatch batch = PaddedBatch.fromTensors(sequences);
        assertArrayEquals(SEED_PADDED, batch.inputs().toArray());
        assertArrayEquals(new int[] {2, 1, 2, 2}, batch.lengths());
    }

    @Test
    void anEmptySequenceIsRejected() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.fromArrays(List.of(new float[][] {{1}}, new float[0][]))),
                "sequence 1 is empty; every sequence needs at least one step");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.fromTensors(List.of(Tensor.zeros(0, 3)))), "sequence 0 is empty");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> PaddedBatch.fromArrays(List.of())),
                "no sequences given");
    }

    @Test
    void featureCountsMustAgree() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.fromArrays(List.of(new float[][] {{1, 2, 3}}, new float[][] {{1, 2}}))),
                "sequence 1 has 2 features per step, expected 3 like sequence 0");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.fromTensors(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)))),
                "sequence 1 has 4 features per step, expected 3 like sequence 0");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.fromArrays(List.<float[][]>of(new float[][] {{1, 2}, {3, 4}, {5}}))),
                "sequence 0, step 2 has 1 features, expected 2 like its step 0");
        assertMentions(assertThrows(ShapeException.class,
                () -> PaddedBatch.fromTensors(List.of(Tensor.zeros(2, 3, 1)))), "[steps, features]", "[2, 3, 1]");
    }

    @Test
    void theRecordChecksItsLengths() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> new PaddedBatch(Tensor.zeros(2, 3, 1), new int[] {3})), "2 instances but 1 lengths");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> new PaddedBatch(Tensor.zeros(2, 3, 1), new int[] {3, 4})), "length 4 of instance 1 is outside [1, 3]");
    }
}
