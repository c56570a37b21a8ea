package dev.unroll.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    /** The seed's §6 batch: 4 instances, 2 steps, 3 inputs. */
    private static Tensor seedBatch() {
        return Tensor.of(new float[][][] {
            {{0, 1, 2}, {9, 8, 7}},
            {{3, 4, 5}, {0, 0, 0}},
            {{6, 7, 8}, {6, 5, 4}},
            {{9, 0, 1}, {3, 2, 1}},
        });
    }

    @Test
    void creationAndQueries() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertEquals(3, t.rank());
        assertEquals(24, t.size());
        assertEquals(4, t.dim(-1));
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        assertEquals(1f, Tensor.ones(2, 2).get(1, 1));
        assertEquals(0, Tensor.scalar(5f).rank());
        assertEquals(5f, Tensor.scalar(5f).get());
    }

    @Test
    void ofRejectsWrongCount() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}));
    }

    @Test
    void reshapeIsAViewAndInfers() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, r.shape());
        assertSame(t.data(), r.data());
        r.set(42f, 2, 1);
        assertEquals(42f, t.get(1, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> t.reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void permuteToTimeMajorAndBack() {
        Tensor x = seedBatch();
        Tensor timeMajor = x.permute(1, 0, 2);
        assertArrayEquals(new int[] {2, 4, 3}, timeMajor.shape());
        assertEquals(9f, timeMajor.get(1, 0, 0));
        assertEquals(4f, timeMajor.get(1, 2, 2));
        assertArrayEquals(x.toArray(), timeMajor.permute(1, 0, 2).toArray());
        assertThrows(ShapeException.class, () -> x.permute(0, 0, 1));
        assertThrows(ShapeException.class, () -> x.permute(0, 1));
    }

    @Test
    void transposeOfMatrix() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, m.transpose(0, 1).toArray());
    }

    @Test
    void unstackThenStackRoundTrips() {
        Tensor x = seedBatch();
        List<Tensor> steps = x.unstack(1);
        assertEquals(2, steps.size());
        assertArrayEquals(new float[] {9, 8, 7, 0, 0, 0, 6, 5, 4, 3, 2, 1}, steps.get(1).toArray());
        assertArrayEquals(new int[] {4, 3}, steps.get(0).shape());
        Tensor back = Tensor.stack(1, steps);
        assertArrayEquals(x.shape(), back.shape());
        assertArrayEquals(x.toArray(), back.toArray());
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.stack(0, List.of(Tensor.zeros(4, 3), Tensor.zeros(4, 2))));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void concatAndSliceAlongTime() {
        Tensor x = seedBatch();
        Tensor first = x.slice(1, 0, 1);
        Tensor second = x.slice(1, 1, 2);
        assertArrayEquals(new int[] {4, 1, 3}, first.shape());
        Tensor joined = Tensor.concat(1, List.of(first, second));
        assertArrayEquals(x.toArray(), joined.toArray());
        assertThrows(ShapeException.class, () -> x.slice(1, 1, 3));
        assertThrows(ShapeException.class, () -> Tensor.concat(1, List.of(first, Tensor.zeros(3, 1, 3))));
    }

    @Test
    void copyIsIndependent() {
        Tensor t = Tensor.ones(2, 2);
        Tensor c = t.copy();
        assertNotSame(t.data(), c.data());
        c.fill(3f);
        assertEquals(1f, t.get(0, 0));
    }

    @Test
    void wrapViewsAtOffset() {
        float[] flat = {0, 1, 2, 3, 4, 5, 6, 7};
        Tensor v = Tensor.wrap(flat, 2, 2, 3);
        assertEquals(2f, v.get(0, 0));
        assertEquals(7f, v.get(1, 2));
        assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, v.toArray());
        assertThrows(ShapeException.class, () -> Tensor.wrap(flat, 3, 2, 3));
    }

    @Test
    void seededRandomIsReproducible() {
        Tensor a = Tensor.randn(new Rng(7), 3, 4);
        Tensor b = Tensor.randn(new Rng(7), 3, 4);
        assertArrayEquals(a.toArray(), b.toArray());
        Tensor u = Tensor.uniform(new Rng(1), -0.5f, 0.5f, 1000);
        for (float v : u.toArray()) {
            assertTrue(v >= -0.5f && v < 0.5f);
        }
    }

    @Test
    void printsNested() {
        assertEquals("[[1.0, 2.0],\n [3.0, 4.0]]", Tensor.of(new float[][] {{1, 2}, {3, 4}}).toString());
    }

    @Test
    void broadcastShapes() {
        assertArrayEquals(new int[] {4, 5}, Shape.broadcast("add", new int[] {4, 5}, new int[] {1, 5}));
        assertArrayEquals(new int[] {2, 4, 5}, Shape.broadcast("add", new int[] {2, 4, 5}, new int[] {5}));
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.broadcast("add", new int[] {4, 5}, new int[] {4}));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void aZeroDimensionMakesAnEmptyShapeHoweverLargeTheOthers() {
        org.junit.jupiter.api.Assertions.assertEquals(0, Shape.size(536_870_912, 128, 0));
        org.junit.jupiter.api.Assertions.assertEquals(0, Tensor.zeros(1 << 30, 0, 1 << 30).size());
        org.junit.jupiter.api.Assertions.assertThrows(ShapeException.class, () -> Shape.size(65_536, 65_536));
    }
}
