package dev.unroll.examples;

import dev.unroll.tensor.Tensor;
import java.util.List;

/**
 * Seed §6: one {@code [batch, steps, inputs]} tensor instead of one placeholder per step.
 * Transposed to time-major {@code [steps, batch, inputs]}, unstacked into per-step tensors, and the
 * per-step results stacked and transposed back to batch-major.
 *
 * <p>Run: {@code unroll-examples/run PackingSequences}.
 */
public final class PackingSequences {
    private PackingSequences() {
    }

    /** The seed's batch: 4 instances × 2 steps × 3 inputs. */
    public static Tensor seedBatch() {
        return Tensor.of(new float[][][] {
            // t = 0      t = 1
            {{0, 1, 2}, {9, 8, 7}},   // instance 1
            {{3, 4, 5}, {0, 0, 0}},   // instance 2
            {{6, 7, 8}, {6, 5, 4}},   // instance 3
            {{9, 0, 1}, {3, 2, 1}},   // instance 4
        });
    }

    /** Time-major per-step tensors: element t is {@code [batch, inputs]} at step t. */
    public static List<Tensor> unpack(Tensor batchMajor) {
        return batchMajor.permute(1, 0, 2).unstack(0);
    }

    /** Inverse of {@link #unpack}: stack the steps and transpose back to {@code [batch, steps, ...]}. */
    public static Tensor pack(List<Tensor> steps) {
        return Tensor.stack(0, steps).permute(1, 0, 2);
    }

    public static void main(String[] args) {
        Tensor x = seedBatch();
        System.out.println("X, shape [batch, steps, inputs] = " + java.util.Arrays.toString(x.shape()) + "\n" + x);
        System.out.println("time-major, permute(1, 0, 2):\n" + x.permute(1, 0, 2));
        List<Tensor> steps = unpack(x);
        for (int t = 0; t < steps.size(); t++) {
            System.out.println("X" + t + " =\n" + steps.get(t));
        }
        Tensor back = pack(steps);
        System.out.println("stacked and transposed back, shape " + java.util.Arrays.toString(back.shape()) + ":\n" + back);
    }
}
