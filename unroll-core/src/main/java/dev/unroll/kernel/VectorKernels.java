package dev.unroll.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
    /** Doubles for {@link #dot} and {@link #sum}: as many bits as F, half the lanes. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());

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
    public String blocking() {
        return VectorGemm.blocking();
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
    public PackedMatrix pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb) {
        return VectorGemm.pack(transposed, k, n, b, bOff, ldb);
    }

    @Override
    public void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.gemm(m, a, aOff, lda, (VectorGemm.Packed) b, c, cOff, ldc, accumulate);
    }

    @Override
    public void activateRows(Activation f, int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        if (rows > 1 && ldx == cols && ldy == cols) {
            // Contiguous rows are one row: one ragged tail instead of one per row.
            cols *= rows;
            rows = 1;
        }
        if (f == Activation.IDENTITY) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, xOff + r * ldx, y, yOff + r * ldy, cols);
            }
            return;
        }
        try {
            ACTIVATION_LOOPS[f.ordinal()].invokeExact(x, xOff, ldx, y, yOff, ldy, rows, cols, PADDED.get());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The loop of each activation, by ordinal, called through method handles on purpose. C2 parses
     * every Vector API call into many nodes and stops inlining past a fixed node budget
     * ({@code NodeCountInliningCutoff}), boxing the vectors of whatever it did not inline. tanh or
     * sigmoid fits that budget once, not twice, and a method calling both loops directly (this one,
     * or a caller that inlines it) would get both. A handle read from an array is not a constant,
     * so C2 calls it instead of inlining it, and each loop compiles on its own. Each loop uses its
     * formula once and calls nothing, so it unrolls.
     *
     * <p>The last vector of each row goes through the same vector formula as the others, with the
     * same call: its inputs, the row's last L values (which overlap the vector before unless cols
     * is a multiple of L; in a row shorter than L, the row), are copied into a padding vector first,
     * and the results copied back after the row. So a value's result never depends on its
     * position, in-place calls read the tail's inputs before the row is written, and the loop has
     * one formula: only the arrays it reads and writes change on the last vector.
     */
    private static final MethodHandle[] ACTIVATION_LOOPS = activationLoops();

    private static MethodHandle[] activationLoops() {
        MethodType type = MethodType.methodType(void.class, float[].class, int.class, int.class,
                float[].class, int.class, int.class, int.class, int.class, float[].class);
        MethodHandle[] loops = new MethodHandle[Activation.values().length];
        try {
            for (Activation f : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.RELU}) {
                loops[f.ordinal()] = MethodHandles.lookup().findStatic(VectorKernels.class, f.id(), type);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        return loops;
    }

    private static void tanh(float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, int rows, int cols, float[] padded) {
        int tail = Math.min(cols, L);
        for (int r = 0, xr = xOff, yr = yOff; r < rows; r++, xr += ldx, yr += ldy) {
            System.arraycopy(x, xr + cols - tail, padded, 0, tail);
            for (int i = 0; i < cols; i += L) {
                boolean last = i + L >= cols;
                VectorMath.tanh(FloatVector.fromArray(F, last ? padded : x, last ? 0 : xr + i))
                        .intoArray(last ? padded : y, last ? 0 : yr + i);
            }
            System.arraycopy(padded, 0, y, yr + cols - tail, tail);
        }
    }

    private static void sigmoid(float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, int rows, int cols, float[] padded) {
        int tail = Math.min(cols, L);
        for (int r = 0, xr = xOff, yr = yOff; r < rows; r++, xr += ldx, yr += ldy) {
            System.arraycopy(x, xr + cols - tail, padded, 0, tail);
            for (int i = 0; i < cols; i += L) {
                boolean last = i + L >= cols;
                VectorMath.sigmoid(FloatVector.fromArray(F, last ? padded : x, last ? 0 : xr + i))
                        .intoArray(last ? padded : y, last ? 0 : yr + i);
            }
            System.arraycopy(padded, 0, y, yr + cols - tail, tail);
        }
    }

    /**
     * max(0, v) with {@code Math.max}'s semantics: NaN stays NaN, as in the reference. (A blend
     * with a scalar is not intrinsified on JDK 17; max with a zero vector is.)
     */
    private static void relu(float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, int rows, int cols, float[] padded) {
        FloatVector zero = FloatVector.zero(F);
        int tail = Math.min(cols, L);
        for (int r = 0, xr = xOff, yr = yOff; r < rows; r++, xr += ldx, yr += ldy) {
            System.arraycopy(x, xr + cols - tail, padded, 0, tail);
            for (int i = 0; i < cols; i += L) {
                boolean last = i + L >= cols;
                FloatVector.fromArray(F, last ? padded : x, last ? 0 : xr + i).max(zero)
                        .intoArray(last ? padded : y, last ? 0 : yr + i);
            }
            System.arraycopy(padded, 0, y, yr + cols - tail, tail);
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
    public void scaledMul(int n, float alpha, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector p = FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).mul(alpha);
            (accumulate ? FloatVector.fromArray(F, out, outOff + i).add(p) : p).intoArray(out, outOff + i);
        }
        REFERENCE.scaledMul(n - i, alpha, a, aOff + i, b, bOff + i, out, outOff + i, accumulate);
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
    /*
     * dot and sum widen each float vector to two double vectors (its lower and upper halves) and
     * keep two running sums, so that consecutive additions do not wait on each other. They use the
     * one float species F on purpose: a second float shape (such as a half-width vector to widen)
     * anywhere in a hot path makes the Vector API's shared methods see two vector classes, and C2
     * then falls back to slow generic code in the GEMM too (measured: W5 −25%).
     */

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
            s0 = widen(xv, 0).fma(widen(yv, 0), s0);
            s1 = widen(xv, 1).fma(widen(yv, 1), s1);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD) + REFERENCE.dot(n - i, x, xOff + i, y, yOff + i);
    }

    @Override
    public double sum(int n, float[] x, int xOff) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            s0 = s0.add(widen(xv, 0));
            s1 = s1.add(widen(xv, 1));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD) + REFERENCE.sum(n - i, x, xOff + i);
    }

    /** The lower ({@code part} 0) or upper (1) half of a float vector, as doubles. */
    private static DoubleVector widen(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
    }

    // ------------------------------------------------------------------ fused recurrent cell steps
    // Forward: one pass per activation formula (see ACTIVATION_LOOPS for why formulas are kept
    // apart), then the products in plain vector loops. Backward needs no transcendental function:
    // one fused loop. Ragged tails use the reference's per-element code.

    @Override
    public void lstmForward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] cNext, int cNextOff,
                            float[] tanhC, int tanhCOff, float[] hNext, int hNextOff) {
        int h = hidden;
        int ld = 4 * h;
        activateRows(Activation.SIGMOID, rows, 2 * h, gates, gOff, ld, gates, gOff, ld);
        activateRows(Activation.TANH, rows, h, gates, gOff + 2 * h, ld, gates, gOff + 2 * h, ld);
        activateRows(Activation.SIGMOID, rows, h, gates, gOff + 3 * h, ld, gates, gOff + 3 * h, ld);
        int whole = h - h % L;
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * ld;
            int s = r * h;
            int j = 0;
            for (; j < whole; j += L) {
                FloatVector f = FloatVector.fromArray(F, gates, g + h + j).mul(FloatVector.fromArray(F, c, cOff + s + j));
                FloatVector ig = FloatVector.fromArray(F, gates, g + j).mul(FloatVector.fromArray(F, gates, g + 2 * h + j));
                f.add(ig).intoArray(cNext, cNextOff + s + j);
            }
            for (; j < h; j++) {
                cNext[cNextOff + s + j] = gates[g + h + j] * c[cOff + s + j] + gates[g + j] * gates[g + 2 * h + j];
            }
        }
        activateRows(Activation.TANH, rows, h, cNext, cNextOff, h, tanhC, tanhCOff, h);
        for (int r = 0; r < rows; r++) {
            mul(h, gates, gOff + r * ld + 3 * h, tanhC, tanhCOff + r * h, hNext, hNextOff + r * h, false);
        }
    }

    @Override
    public void lstmBackward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tanhCOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        int h = hidden;
        int whole = h - h % L;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * h;
            int d = dgOff + r * 4 * h;
            int s = r * h;
            for (int j = 0; j < whole; j += L) {
                FloatVector i = FloatVector.fromArray(F, gates, g + j);
                FloatVector f = FloatVector.fromArray(F, gates, g + h + j);
                FloatVector cand = FloatVector.fromArray(F, gates, g + 2 * h + j);
                FloatVector o = FloatVector.fromArray(F, gates, g + 3 * h + j);
                FloatVector tc = FloatVector.fromArray(F, tanhC, tanhCOff + s + j);
                FloatVector gh = FloatVector.fromArray(F, dh, dhOff + s + j);
                FloatVector gc = gh.mul(o).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(F, dc, dcOff + s + j));
                gc.mul(cand).mul(i.mul(one.sub(i))).intoArray(dGates, d + j);
                gc.mul(FloatVector.fromArray(F, c, cOff + s + j)).mul(f.mul(one.sub(f))).intoArray(dGates, d + h + j);
                gc.mul(i).mul(one.sub(cand.mul(cand))).intoArray(dGates, d + 2 * h + j);
                gh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dGates, d + 3 * h + j);
                gc.mul(f).intoArray(dc, dcOff + s + j);
            }
            for (int j = whole; j < h; j++) {
                ScalarKernels.lstmBackwardAt(r, j, h, gates, gOff, c, cOff, tanhC, tanhCOff, dh, dhOff, dc, dcOff, dGates, dgOff);
            }
        }
    }

    @Override
    public void gruForward(int rows, int hidden, float[] gates, int gOff, float[] hp, int hpOff, float[] bhn, int bhnOff,
                           float[] hpN, int hpnOff, float[] h, int hOff, float[] hNext, int hNextOff) {
        int w = hidden;
        int ld = 3 * w;
        int whole = w - w % L;
        for (int r = 0; r < rows; r++) {
            add(2 * w, gates, gOff + r * ld, hp, hpOff + r * ld, gates, gOff + r * ld);
        }
        activateRows(Activation.SIGMOID, rows, 2 * w, gates, gOff, ld, gates, gOff, ld);
        // One pass for hn = hp_n + b_hn, its copy for the backward pass, and xp_n + r ⊙ hn.
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * ld;
            int p = hpOff + r * ld + 2 * w;
            int j = 0;
            for (; j < whole; j += L) {
                FloatVector hn = FloatVector.fromArray(F, hp, p + j);
                if (bhn != null) {
                    hn = hn.add(FloatVector.fromArray(F, bhn, bhnOff + j));
                }
                if (hpN != null) {
                    hn.intoArray(hpN, hpnOff + r * w + j);
                }
                FloatVector reset = FloatVector.fromArray(F, gates, g + j);
                FloatVector.fromArray(F, gates, g + 2 * w + j).add(reset.mul(hn)).intoArray(gates, g + 2 * w + j);
            }
            for (; j < w; j++) {
                float hn = bhn == null ? hp[p + j] : hp[p + j] + bhn[bhnOff + j];
                if (hpN != null) {
                    hpN[hpnOff + r * w + j] = hn;
                }
                gates[g + 2 * w + j] += gates[g + j] * hn;
            }
        }
        activateRows(Activation.TANH, rows, w, gates, gOff + 2 * w, ld, gates, gOff + 2 * w, ld);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * ld;
            int s = r * w;
            int j = 0;
            for (; j < whole; j += L) {
                FloatVector n = FloatVector.fromArray(F, gates, g + 2 * w + j);
                FloatVector z = FloatVector.fromArray(F, gates, g + w + j);
                n.add(z.mul(FloatVector.fromArray(F, h, hOff + s + j).sub(n))).intoArray(hNext, hNextOff + s + j);
            }
            for (; j < w; j++) {
                float n = gates[g + 2 * w + j];
                hNext[hNextOff + s + j] = n + gates[g + w + j] * (h[hOff + s + j] - n);
            }
        }
    }

    @Override
    public void gruBackward(int rows, int hidden, float[] gates, int gOff, float[] hpN, int hpnOff, float[] h, int hOff,
                            float[] dh, int dhOff, float[] dGates, int dgOff, float[] dhDirect, int ddOff) {
        int w = hidden;
        int whole = w - w % L;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 3 * w;
            int dg = dgOff + r * 4 * w;
            int s = r * w;
            for (int j = 0; j < whole; j += L) {
                FloatVector reset = FloatVector.fromArray(F, gates, g + j);
                FloatVector update = FloatVector.fromArray(F, gates, g + w + j);
                FloatVector n = FloatVector.fromArray(F, gates, g + 2 * w + j);
                FloatVector gh = FloatVector.fromArray(F, dh, dhOff + s + j);
                FloatVector direct = gh.mul(update);
                FloatVector dn = gh.sub(direct).mul(one.sub(n.mul(n)));
                FloatVector dz = gh.mul(FloatVector.fromArray(F, h, hOff + s + j).sub(n)).mul(update.mul(one.sub(update)));
                FloatVector dr = dn.mul(FloatVector.fromArray(F, hpN, hpnOff + s + j)).mul(reset.mul(one.sub(reset)));
                dn.intoArray(dGates, dg + j);
                dr.intoArray(dGates, dg + w + j);
                dz.intoArray(dGates, dg + 2 * w + j);
                dn.mul(reset).intoArray(dGates, dg + 3 * w + j);
                direct.intoArray(dhDirect, ddOff + s + j);
            }
            for (int j = whole; j < w; j++) {
                ScalarKernels.gruBackwardAt(r, j, w, gates, gOff, hpN, hpnOff, h, hOff, dh, dhOff, dGates, dgOff, dhDirect, ddOff);
            }
        }
    }
}
