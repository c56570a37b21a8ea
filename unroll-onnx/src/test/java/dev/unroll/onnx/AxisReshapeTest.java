package dev.unroll.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.onnx.Value.Int;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxisReshapeTest {
    private static final Axis BATCH = new Axis(Axis.Kind.BATCH, -1);
    private static final Axis TIME = new Axis(Axis.Kind.TIME, -1);
    private static final OnnxNode NODE = new OnnxNode("r", "Reshape", "", List.of("x", "s"), List.of("y"), List.of());

    private static List<Int> ints(long... values) {
        List<Int> out = new ArrayList<>();
        for (long v : values) {
            out.add(Int.of(v));
        }
        return out;
    }

    @Test
    void directionsJoinTheFeaturesThatFollowThem() throws OnnxException {
        List<Axis> stepOutputs = List.of(TIME, BATCH, Axis.group(2), Axis.features(4));
        assertEquals(List.of(TIME, BATCH, Axis.features(8)), AxisReshape.apply(NODE, stepOutputs, ints(0, 0, -1), false));
        // PyTorch's form: the sizes computed from Shape, as symbols.
        List<Int> symbolic = List.of(new Int(Axis.Kind.TIME, -1), new Int(Axis.Kind.BATCH, -1), Int.of(8));
        assertEquals(List.of(TIME, BATCH, Axis.features(8)), AxisReshape.apply(NODE, stepOutputs, symbolic, false));
        List<Axis> finalStates = List.of(BATCH, Axis.group(2), Axis.features(4));
        assertEquals(List.of(BATCH, Axis.features(8)), AxisReshape.apply(NODE, finalStates, ints(0, -1), false));
        // Unit axes come and go.
        assertEquals(List.of(BATCH, Axis.features(4)), AxisReshape.apply(NODE, List.of(BATCH, Axis.group(1), Axis.features(4)), ints(0, 4), false));
        assertEquals(List.of(BATCH, Axis.group(1), Axis.features(4)), AxisReshape.apply(NODE, List.of(BATCH, Axis.features(4)), ints(0, 1, 4), false));
        // A batch size the graph fixes matches that number.
        Axis three = new Axis(Axis.Kind.BATCH, 3);
        assertEquals(List.of(three, Axis.features(8)), AxisReshape.apply(NODE, List.of(three, Axis.group(2), Axis.features(4)), ints(3, 8), false));
    }

    @Test
    void reshapesThatChangeWhatTheAxesMeanAreErrors() {
        // Features then directions would interleave forward and backward features.
        assertRejected(List.of(TIME, BATCH, Axis.features(4), Axis.group(2)), ints(0, 0, -1));
        // Batch and time joined.
        assertRejected(List.of(BATCH, TIME, Axis.features(6)), ints(-1, 6));
        // Features split.
        assertRejected(List.of(BATCH, Axis.features(6)), ints(0, 2, 3));
        // A wrong size.
        assertRejected(List.of(BATCH, Axis.group(2), Axis.features(4)), ints(0, 6));
        OnnxException e = assertThrows(OnnxException.class, () -> AxisReshape.apply(NODE, List.of(BATCH, Axis.features(6)), ints(-1, -1), false));
        assertTrue(e.getMessage().contains("more than one -1"), e.getMessage());
    }

    private static void assertRejected(List<Axis> in, List<Int> target) {
        OnnxException e = assertThrows(OnnxException.class, () -> AxisReshape.apply(NODE, in, target, false));
        assertTrue(e.getMessage().startsWith("Reshape node 'r': reshapes data with axes"), e.getMessage());
    }
}
