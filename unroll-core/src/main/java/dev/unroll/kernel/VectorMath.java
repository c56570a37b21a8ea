package dev.unroll.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and the logistic sigmoid on float vectors, built from plain Vector API arithmetic.
 * {@code VectorOperators.EXP/TANH} are avoided: on JDK 17 they are not intrinsified and run an
 * order of magnitude slower. Loaded only through {@link VectorKernels}.
 *
 * <p>Accuracy, checked by {@code VectorKernelsTest} against {@link Math#tanh}/{@link Math#exp} in
 * double: tanh and sigmoid within 3 ulp of the correctly rounded result over the whole float range
 * (subnormal results included), saturating to exactly ±1, 0 or 1; NaN gives NaN; ±∞ gives the limit.
 *
 * <p>Each lane is computed from its own input only, with the same operations whatever its
 * position, so a value's result does not depend on where it sits in an array.
 */
final class VectorMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2_E = 1.44269504088896341f;
    /** ln 2 split in two so that {@code x − n·ln2} loses nothing: LN2_HI + LN2_LO = ln 2 to ~2⁻⁵⁰. */
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187045e-6f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B40_0000;
    /** exp underflows to +0 below this (e^−104 &lt; 2⁻¹⁵⁰) and overflows to +∞ above ln(Float.MAX_VALUE) ≈ 88.72. */
    private static final float EXP_MIN = -104f;
    private static final float EXP_MAX = 89f;

    /** Cephes' minimax polynomial for (eʳ − 1 − r)/r² on |r| ≤ ln2/2 (about 1 ulp). */
    private static final float E5 = 1.9875691500e-4f;
    private static final float E4 = 1.3981999507e-3f;
    private static final float E3 = 8.3334519073e-3f;
    private static final float E2 = 4.1665795894e-2f;
    private static final float E1 = 1.6666665459e-1f;
    private static final float E0 = 5.0000001201e-1f;

    /**
     * Below this |x|, tanh uses its odd series; above, the exp formula, whose cancellation would cost
     * accuracy near 0.
     */
    private static final float TANH_SERIES_LIMIT = 0.625f;
    /**
     * (tanh(x) − x)/x³ ≈ T0 + T1·z + … + T5·z⁵ with z = x² on |x| ≤ 0.625: a weighted least-squares
     * near-minimax fit (max error 1 ulp in float; see docs/kernels.md).
     */
    private static final float T0 = -0.3333333134651184f;
    private static final float T1 = 0.1333322525024414f;
    private static final float T2 = -0.05394890159368515f;
    private static final float T3 = 0.021711554378271103f;
    private static final float T4 = -0.008202546276152134f;
    private static final float T5 = 0.002164732199162245f;

    private VectorMath() {
    }

    /**
     * eˣ by range reduction: x = n·ln2 + r with |r| ≤ ln2/2, eʳ by a polynomial, then the scale 2ⁿ
     * applied in two halves so that subnormal results (n down to −150) are rounded only once.
     */
    static FloatVector exp(FloatVector x) {
        // max/min keep NaN (Math.max semantics), which then flows through r into the result.
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2_E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = horner(horner(horner(horner(r.fma(E5, E4), r, E3), r, E2), r, E1), r, E0);
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        IntVector ni = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        return er.mul(powerOfTwo(half)).mul(powerOfTwo(ni.sub(half)));
    }

    /** 2ᵉ as a float for e in [−126, 127], built directly from the exponent bits. */
    private static FloatVector powerOfTwo(IntVector e) {
        return e.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * tanh x: {@code x + x³·P(x²)} for |x| &lt; 0.625, else {@code ±(1 − e)/(1 + e)} with
     * e = e^(−2|x|), which tends to exactly ±1 as e underflows.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector poly = horner(horner(horner(horner(z.fma(T5, T4), z, T3), z, T2), z, T1), z, T0);
        FloatVector series = x.mul(z).fma(poly, x);
        FloatVector e = exp(ax.mul(-2f));
        FloatVector large = copySign(e.neg().add(1f).div(e.add(1f)), x);
        return large.blend(series, ax.lt(TANH_SERIES_LIMIT));
    }

    /**
     * σ(x) = 1/(1 + e^−x), computed from e = e^−|x| ≤ 1 as {@code 1/(1 + e)} for x ≥ 0 and
     * {@code e/(1 + e)} for x &lt; 0, so that neither side overflows and tiny results keep their
     * precision.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector numerator = FloatVector.broadcast(F, 1f).blend(e, x.lt(0f));
        return numerator.div(e.add(1f));
    }

    /** One Horner step, {@code p·x + c}, fused. */
    private static FloatVector horner(FloatVector p, FloatVector x, float c) {
        return p.fma(x, FloatVector.broadcast(F, c));
    }

    /** |magnitude| with the sign bit of {@code sign} (magnitude must be non-negative or NaN). */
    private static FloatVector copySign(FloatVector magnitude, FloatVector sign) {
        IntVector signBit = sign.reinterpretAsInts().and(Integer.MIN_VALUE);
        return magnitude.reinterpretAsInts().or(signBit).reinterpretAsFloats();
    }
}
