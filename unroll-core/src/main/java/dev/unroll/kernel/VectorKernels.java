package dev.unroll.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels, written with the incubating Vector API ({@code jdk.incubator.vector}) for the
 * widest vectors the CPU offers ({@link FloatVector#SPECIES_PREFERRED}: 512 bits with AVX-512).
 * {@link Kernels} loads this class by name only when the module is readable; it and its helpers
 * ({@link VectorGemm}, {@link VectorMath}) are the only classes that touch Vector API types.
 *
 * <p>Agreement with {@link ScalarKernels}, the reference: GEMM to rounding (it uses FMA and k-blocks,
 * see {@link VectorGemm}); tanh and sigmoid within a few ulp (see {@link VectorMath}); every other
 * method bit for bit, because it performs the same IEEE operations in the same order. That is also
 * why the ragged tails of those methods are simply handed to the reference.
 */
public final class VectorKernels implements KernelProvider {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Doubles for {@link #dot}, and the float species with as many lanes (half the bits). */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F_AS_D = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private static final KernelProvider REFERENCE = new ScalarKernels();
    /** One vector's worth of floats per thread, to run a ragged tail through the vector formulas. */
    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[L]);

    /** Public for {@link Kernels}' reflective loading. */
    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    @Override
    public void gemm(GemmOp op, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     boolean accumulate) {
        VectorGemm.gemm(op, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void activate(Activation f, float[] x, int xOff, float[] y, int yOff, int n) {
        // One small loop per function, each with a single use of its formula: C2 must inline all of
        // tanh or sigmoid into one compilation, within its node budget, or it boxes vectors.
        switch (f) {
            case TANH -> tanh(x, xOff, y, yOff, n, PADDED.get());
            case SIGMOID -> sigmoid(x, xOff, y, yOff, n, PADDED.get());
            case RELU -> relu(x, xOff, y, yOff, n, PADDED.get());
            case IDENTITY -> System.arraycopy(x, xOff, y, yOff, n);
        }
    }

    private static void tanh(float[] x, int xOff, float[] y, int yOff, int n, float[] padded) {
        for (int i = 0; i < n; i += L) {
            store(VectorMath.tanh(load(x, xOff + i, n - i, padded)), y, yOff + i, n - i, padded);
        }
    }

    private static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, float[] padded) {
        for (int i = 0; i < n; i += L) {
            store(VectorMath.sigmoid(load(x, xOff + i, n - i, padded)), y, yOff + i, n - i, padded);
        }
    }

    /** max(0, v), but NaN stays NaN, as in the reference. */
    private static void relu(float[] x, int xOff, float[] y, int yOff, int n, float[] padded) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = load(x, xOff + i, n - i, padded);
            store(v.blend(0f, v.compare(VectorOperators.LE, 0f)), y, yOff + i, n - i, padded);
        }
    }

    /**
     * The vector at {@code x[at..)}, or, with fewer than L elements {@code left}, those elements
     * copied into {@code padded}: the ragged tail goes through the same vector formula, so a value's
     * result never depends on its index. The padding lanes are computed and dropped.
     */
    private static FloatVector load(float[] x, int at, int left, float[] padded) {
        if (left >= L) {
            return FloatVector.fromArray(F, x, at);
        }
        System.arraycopy(x, at, padded, 0, left);
        return FloatVector.fromArray(F, padded, 0);
    }

    /** Stores {@code v} at {@code y[at..)}, only its first {@code left} lanes if fewer than L. */
    private static void store(FloatVector v, float[] y, int at, int left, float[] padded) {
        if (left >= L) {
            v.intoArray(y, at);
        } else {
            v.intoArray(padded, 0);
            System.arraycopy(padded, 0, y, at, left);
        }
    }

    @Override
    public void activateBackward(Activation f, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff, int n, boolean accumulate) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector out = FloatVector.fromArray(F, y, yOff + i);
            FloatVector slope = switch (f) {
                case TANH -> one.sub(out.mul(out));
                case SIGMOID -> out.mul(one.sub(out));
                case RELU -> FloatVector.zero(F).blend(one, out.compare(VectorOperators.GT, 0f));
                case IDENTITY -> one;
            };
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i).mul(slope);
            (accumulate ? FloatVector.fromArray(F, dx, dxOff + i).add(g) : g).intoArray(dx, dxOff + i);
        }
        REFERENCE.activateBackward(f, y, yOff + i, dy, dyOff + i, dx, dxOff + i, n - i, accumulate);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, x, xOff + i).mul(alpha)).intoArray(y, yOff + i);
        }
        REFERENCE.axpy(n - i, alpha, x, xOff + i, y, yOff + i);
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        REFERENCE.add(n - i, a, aOff + i, b, bOff + i, out, outOff + i);
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector p = FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i));
            (accumulate ? FloatVector.fromArray(F, out, outOff + i).add(p) : p).intoArray(out, outOff + i);
        }
        REFERENCE.mul(n - i, a, aOff + i, b, bOff + i, out, outOff + i, accumulate);
    }

    @Override
    public void addRowVector(int rows, int cols, float[] bias, int biasOff, float[] x, int xOff, int ldx) {
        for (int r = 0; r < rows; r++) {
            add(cols, x, xOff + r * ldx, bias, biasOff, x, xOff + r * ldx);
        }
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate) {
        int j = 0;
        for (; j <= cols - L; j += L) {
            // One column strip at a time, kept in a register; rows added in order, like the reference.
            FloatVector s = accumulate ? FloatVector.fromArray(F, out, outOff + j) : FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(F, x, xOff + r * ldx + j));
            }
            s.intoArray(out, outOff + j);
        }
        REFERENCE.sumRows(rows, cols - j, x, xOff + j, ldx, out, outOff + j, accumulate);
    }

    /**
     * In double, like the reference (a float product is exact in double): lane-wise sums over whole
     * vectors, then the lanes in order, then the tail in order. The order depends only on n.
     */
    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        int lanes = D.length();
        DoubleVector s = DoubleVector.zero(D);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            DoubleVector xv = (DoubleVector) FloatVector.fromArray(F_AS_D, x, xOff + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector yv = (DoubleVector) FloatVector.fromArray(F_AS_D, y, yOff + i).convertShape(VectorOperators.F2D, D, 0);
            s = xv.fma(yv, s);
        }
        double sum = 0.0;
        for (int lane = 0; lane < lanes; lane++) {
            sum += s.lane(lane);
        }
        return sum + REFERENCE.dot(n - i, x, xOff + i, y, yOff + i);
    }
}
