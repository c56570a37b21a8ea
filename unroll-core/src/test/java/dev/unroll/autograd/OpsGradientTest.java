package dev.unroll.autograd;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A central finite-difference check of every differentiable operation. */
class OpsGradientTest {
    private final Rng rng = new Rng(2024);
    private final GradCheck check = GradCheck.standard();

    private Tensor rand(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape);
    }

    /** Values kept away from 0 so that relu's kink is not straddled by ±ε. */
    private Tensor awayFromZero(int... shape) {
        Tensor t = rand(shape);
        for (int i = 0; i < t.size(); i++) {
            float v = t.data()[i];
            t.data()[i] = v + Math.copySign(0.1f, v);
        }
        return t;
    }

    @Test
    void matmul() {
        check.check("matmul 2d", in -> in.get(0).matmul(in.get(1)), rand(4, 3), rand(3, 5));
        check.check("matmul 3d x 2d", in -> in.get(0).matmul(in.get(1)), rand(2, 3, 4), rand(4, 2));
    }

    @Test
    void linear() {
        check.check("linear", in -> MatMul.linear(in.get(0), in.get(1), in.get(2)), rand(2, 3, 4), rand(5, 4), rand(5));
        check.check("linear without bias", in -> MatMul.linear(in.get(0), in.get(1), null), rand(3, 4), rand(2, 4));
    }

    @Test
    void addSubMulWithBroadcasting() {
        check.check("add same", in -> in.get(0).add(in.get(1)), rand(3, 4), rand(3, 4));
        check.check("add bias [1,n]", in -> in.get(0).add(in.get(1)), rand(3, 4), rand(1, 4));
        check.check("add bias [n] to 3d", in -> in.get(0).add(in.get(1)), rand(2, 3, 4), rand(4));
        check.check("add column + row", in -> in.get(0).add(in.get(1)), rand(3, 1), rand(1, 4));
        check.check("sub bias", in -> in.get(0).sub(in.get(1)), rand(3, 4), rand(4));
        check.check("sub broadcast first", in -> in.get(0).sub(in.get(1)), rand(4), rand(3, 4));
        check.check("mul same", in -> in.get(0).mul(in.get(1)), rand(3, 4), rand(3, 4));
        check.check("mul mask column", in -> in.get(0).mul(in.get(1)), rand(3, 4), rand(3, 1));
        check.check("mul bias row", in -> in.get(0).mul(in.get(1)), rand(2, 3, 4), rand(1, 4));
        check.check("scale", in -> in.get(0).scale(-2.5f), rand(3, 4));
    }

    @Test
    void square() {
        check.check("square", in -> in.get(0).square(), rand(3, 4));
        check.check("product with itself", in -> in.get(0).mul(in.get(0)), rand(3, 4));
        check.check("square of an input used twice", in -> in.get(0).square().add(in.get(0).tanh()), rand(2, 5));
        check.check("square of an intermediate", in -> in.get(0).tanh().square().mean(), rand(17));
    }

    @Test
    void activations() {
        check.check("tanh", in -> in.get(0).tanh(), rand(4, 5));
        check.check("sigmoid", in -> in.get(0).sigmoid(), rand(4, 5));
        check.check("relu", in -> in.get(0).relu(), awayFromZero(4, 5));
    }

    @Test
    void shapeOperations() {
        check.check("reshape", in -> in.get(0).reshape(6, -1).tanh(), rand(2, 3, 4));
        check.check("permute", in -> in.get(0).permute(1, 0, 2).tanh(), rand(2, 3, 4));
        check.check("slice", in -> in.get(0).slice(1, 1, 3).tanh(), rand(2, 4, 3));
        check.check("concat", in -> ShapeOps.concat(1, List.of(in.get(0), in.get(1))).tanh(), rand(2, 1, 3), rand(2, 2, 3));
        check.check("stack", in -> ShapeOps.stack(1, List.of(in.get(0), in.get(1))).tanh(), rand(2, 3), rand(2, 3));
        // Only some slices used: the unused ones get zero gradient.
        check.check("unstack", in -> {
            List<Variable> steps = in.get(0).unstack(1);
            return steps.get(0).mul(steps.get(2));
        }, rand(2, 3, 4));
    }

    @Test
    void reductions() {
        check.check("sum", in -> in.get(0).sum(), rand(3, 4));
        check.check("mean", in -> in.get(0).mean(), rand(3, 4));
        // The second use adds to a gradient the first has started (written, not added).
        check.check("mean plus sum of one input", in -> in.get(0).mean().add(in.get(0).sum()), rand(3, 4));
        check.check("sum axis 1", in -> in.get(0).sum(1), rand(2, 3, 4));
        check.check("mean axis 0", in -> in.get(0).mean(0), rand(2, 3, 4));
        check.check("mean axis -1", in -> in.get(0).mean(-1), rand(2, 3, 4));
    }

    @Test
    void losses() {
        int[] labels = {0, 3, 2, 3, 1};
        check.check("softmax cross-entropy", in -> Losses.softmaxCrossEntropy(in.get(0), labels), rand(5, 4).reshape(5, 4));
        check.check("mse", in -> Losses.meanSquaredError(in.get(0), in.get(1)), rand(3, 4), rand(3, 4));
        float[] weights = {1, 0, 2, 1, 0.5f};
        check.check("weighted softmax cross-entropy", in -> Losses.softmaxCrossEntropy(in.get(0), labels, weights), rand(5, 4));
        check.check("weighted mse", in -> Losses.meanSquaredError(in.get(0), in.get(1), new float[] {1, 0, 3}), rand(3, 2), rand(3, 2));
        // Away from its kink at p = t, where the random inputs do not fall.
        check.check("weighted mae", in -> Losses.meanAbsoluteError(in.get(0), in.get(1), new float[] {1, 0, 3}), rand(3, 2), rand(3, 2));
    }
}
