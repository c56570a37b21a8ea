package dev.unroll.nn;

import dev.unroll.tensor.Rng;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;

/**
 * Weight initializers (seed §17: good initialization is the first remedy for long sequences).
 * Each fills a tensor in place from an explicit {@link Rng}. For a matrix {@code [out, in]} (PyTorch
 * layout) fan-in is {@code in} and fan-out is {@code out}.
 *
 * <p>Recurrent layers stack their gates along the first axis ({@code [G·H, in]}); the
 * {@linkplain #perGate per-gate} form applies an initializer to each {@code [H, in]} block, which is
 * what orthogonal and identity initialization of recurrent weights mean.
 */
@FunctionalInterface
public interface Init {

    /** Fills {@code t} (shape {@code [out, in]}, or a vector). */
    void fill(Tensor t, Rng rng);

    /** U(−1/√H, 1/√H) with H the hidden size: PyTorch's default for every RNN/LSTM/GRU parameter. */
    static Init pytorchRecurrent(int hiddenSize) {
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        return uniform(-bound, bound);
    }

    /** U(low, high). */
    static Init uniform(float low, float high) {
        return (t, rng) -> fillUniform(t, rng, low, high);
    }

    /** All elements equal {@code value}. */
    static Init constant(float value) {
        return (t, rng) -> t.fill(value);
    }

    /** Zeros. */
    static Init zeros() {
        return constant(0f);
    }

    /** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))). */
    static Init glorotUniform() {
        return (t, rng) -> {
            float bound = (float) Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
            fillUniform(t, rng, -bound, bound);
        };
    }

    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    static Init glorotNormal() {
        return (t, rng) -> fillNormal(t, rng, Math.sqrt(2.0 / (fanIn(t) + fanOut(t))));
    }

    /** He/Kaiming uniform for ReLU: U(±√(6 / fanIn)). */
    static Init heUniform() {
        return (t, rng) -> {
            float bound = (float) Math.sqrt(6.0 / fanIn(t));
            fillUniform(t, rng, -bound, bound);
        };
    }

    /** He/Kaiming normal for ReLU: N(0, 2 / fanIn). */
    static Init heNormal() {
        return (t, rng) -> fillNormal(t, rng, Math.sqrt(2.0 / fanIn(t)));
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}: the Q of a QR decomposition of a Gaussian
     * matrix, sign-corrected so that it is uniformly distributed (Saxe et al. 2014). Keeps the norm
     * of the recurrent signal from growing or shrinking over many steps.
     */
    static Init orthogonal(float gain) {
        return (t, rng) -> Orthogonal.fill(t, rng, gain);
    }

    /**
     * {@code gain}·I (IRNN, Le et al. 2015: a ReLU RNN whose recurrent weights start as the
     * identity). Needs a square matrix.
     */
    static Init identity(float gain) {
        return (t, rng) -> {
            int[] s = t.shape();
            if (s.length != 2 || s[0] != s[1]) {
                throw new ShapeException("identity init needs a square matrix, got " + dev.unroll.tensor.Shape.toString(s));
            }
            t.fill(0f);
            for (int i = 0; i < s[0]; i++) {
                t.set(gain, i, i);
            }
        };
    }

    /** Applies this initializer to each of the {@code gates} row blocks {@code [H, in]} of {@code [gates·H, in]}. */
    default Init perGate(int gates) {
        Init self = this;
        return (t, rng) -> {
            int rows = t.dim(0);
            if (rows % gates != 0) {
                throw new ShapeException("perGate(" + gates + "): " + rows + " rows are not a multiple of the gate count");
            }
            int h = rows / gates;
            for (int g = 0; g < gates; g++) {
                Tensor block = Tensor.zeros(h, t.dim(1));
                self.fill(block, rng);
                System.arraycopy(block.data(), 0, t.data(), t.offset() + g * block.size(), block.size());
            }
        };
    }

    private static int fanIn(Tensor t) {
        return t.rank() >= 2 ? t.dim(1) : t.dim(0);
    }

    private static int fanOut(Tensor t) {
        return t.dim(0);
    }

    private static void fillUniform(Tensor t, Rng rng, float low, float high) {
        for (int i = 0; i < t.size(); i++) {
            t.data()[t.offset() + i] = low + (high - low) * rng.nextFloat();
        }
    }

    private static void fillNormal(Tensor t, Rng rng, double std) {
        for (int i = 0; i < t.size(); i++) {
            t.data()[t.offset() + i] = (float) (std * rng.nextGaussian());
        }
    }
}
