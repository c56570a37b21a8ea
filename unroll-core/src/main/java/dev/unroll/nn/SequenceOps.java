package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;

/** Operations on {@code [batch, time, features]} sequences that know about sequence lengths. */
public final class SequenceOps {
    private SequenceOps() {
    }

    /**
     * Reverses each instance's valid steps in time: {@code y[b, t] = x[b, len_b − 1 − t]} for
     * {@code t < len_b}, zero after. The backward direction of a bidirectional layer runs over this,
     * so it starts at each instance's last valid step (not at the padding). Its own inverse.
     *
     * @param lengths per-instance lengths, or null for all {@code time} steps
     */
    public static Variable reverse(Variable x, int[] lengths) {
        Shape.requireRank("reverse", x.shape(), 3, "[batch, time, features]");
        int batch = x.dim(0);
        int steps = x.dim(1);
        int features = x.dim(2);
        SequenceLengths.validate(lengths, batch, steps);
        Tensor y = Tensor.zeros(x.shape());
        reverseInto(x.value(), y, lengths);
        return Autograd.record("reverse", y, dy -> {
            Tensor dx = x.gradForAccumulation();
            Tensor back = Tensor.zeros(batch, steps, features);
            reverseInto(dy, back, lengths);
            dev.unroll.kernel.Kernels.provider().axpy(back.size(), 1f, back.data(), 0, dx.data(), dx.offset());
        }, x);
    }

    private static void reverseInto(Tensor x, Tensor y, int[] lengths) {
        int steps = x.dim(1);
        int features = x.dim(2);
        for (int b = 0; b < x.dim(0); b++) {
            int len = lengths == null ? steps : lengths[b];
            for (int t = 0; t < len; t++) {
                System.arraycopy(x.data(), x.offset() + (b * steps + (len - 1 - t)) * features,
                        y.data(), y.offset() + (b * steps + t) * features, features);
            }
        }
    }
}
