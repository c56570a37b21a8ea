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
 * <p>Accuracy, checked by {@code ElementwiseParityTest} against {@link Math#tanh}/{@link Math#exp} in
 * double: tanh and sigmoid within 3 ulp of the correctly rounded result over the whole float range
 * (subnormal results included), saturating to exactly ±1, 0 or 1; NaN gives NaN; ±∞ gives the limit.
 *
 * <p>Each lane is computed from its own input only, with the same operations whatever its
 * position, so a value's result does not depend on where it sits in an array.
 */
final class VectorMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    // Constants are vectors held in static finals rather than floats broadcast at each use: C2 parses
    // every Vector API call into many nodes, and tanh with its exp must fit its inlining node budget
    // (NodeCountInliningCutoff), or vectors get boxed on the heap.
    private static final FloatVector ONE = c(1f);
    private static final FloatVector MINUS_TWO = c(-2f);
    private static final FloatVector LOG2_E = c(1.44269504088896341f);
    /** −ln 2 split in two so that {@code x − n·ln2} loses nothing: LN2_HI + LN2_LO = ln 2 to ~2⁻⁵⁰. */
    private static final FloatVector MINUS_LN2_HI = c(-0.693145751953125f);
    private static final FloatVector MINUS_LN2_LO = c(-1.428606765330187045e-6f);
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
    private static final FloatVector ROUNDER = c(12582912f);
    /** Turns the bits of ROUNDER + n into the biased exponent n + 127 of 2ⁿ. */
    private static final IntVector ROUNDER_TO_EXPONENT = IntVector.broadcast(F.withLanes(int.class), 127 - 0x4B40_0000);
    /** exp underflows to +0 below this (e^−104 &lt; 2⁻¹⁵⁰) and overflows to +∞ above ln(Float.MAX_VALUE) ≈ 88.72. */
    private static final FloatVector EXP_MIN = c(-104f);
    private static final FloatVector EXP_MAX = c(89f);

    /** Cephes' minimax polynomial for (eʳ − 1 − r)/r² on |r| ≤ ln2/2 (about 1 ulp). */
    private static final FloatVector E5 = c(1.9875691500e-4f);
    private static final FloatVector E4 = c(1.3981999507e-3f);
    private static final FloatVector E3 = c(8.3334519073e-3f);
    private static final FloatVector E2 = c(4.1665795894e-2f);
    private static final FloatVector E1 = c(1.6666665459e-1f);
    private static final FloatVector E0 = c(5.0000001201e-1f);

    /** tanh rounds to ±1 in float beyond |x| ≈ 9.01; clamping there keeps 2ⁿ normal in its expm1. */
    private static final FloatVector TANH_CLAMP = c(9.5f);
    /** Below this |x|, tanh(x) rounds to x; returning x also keeps the sign of ±0. */
    private static final FloatVector TANH_TINY = c(0x1p-12f);
    private static final FloatVector TWO = c(2f);

    private VectorMath() {
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(F, value);
    }

    /**
     * eˣ by range reduction: x = n·ln2 + r with |r| ≤ ln2/2, eʳ by a polynomial, then the scale 2ⁿ
     * applied in two halves so that subnormal results (n down to −150) are rounded only once.
     */
    static FloatVector exp(FloatVector x) {
        // max/min keep NaN (Math.max semantics), which then flows through r into the result.
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = roundedLog2(xc);
        FloatVector er = expm1Reduced(reduce(xc, t)).add(ONE);
        // Biased exponents of 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), both normal for n in [−150, 128].
        IntVector e = t.reinterpretAsInts().add(ROUNDER_TO_EXPONENT);
        IntVector half = e.lanewise(VectorOperators.ASHR, 1);
        return er.mul(powerOfTwo(half.add(63))).mul(powerOfTwo(e.sub(half).add(64)));
    }

    /**
     * eˣ − 1 for x in [−20, 0] (no clamping): 2ⁿ·(eʳ − 1) + (2ⁿ − 1) in one rounding, accurate for
     * small |x| where eˣ − 1 would cancel.
     */
    private static FloatVector expm1(FloatVector x) {
        FloatVector t = roundedLog2(x);
        FloatVector scale = powerOfTwo(t.reinterpretAsInts().add(ROUNDER_TO_EXPONENT));
        return scale.fma(expm1Reduced(reduce(x, t)), scale.sub(ONE));
    }

    /** ROUNDER + n with n = x/ln2 rounded to an integer, held in the low mantissa bits. */
    private static FloatVector roundedLog2(FloatVector x) {
        return x.fma(LOG2_E, ROUNDER);
    }

    /** r = x − n·ln2, exactly, with n taken from {@link #roundedLog2}. */
    private static FloatVector reduce(FloatVector x, FloatVector rounded) {
        FloatVector n = rounded.sub(ROUNDER);
        return n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, x));
    }

    /** eʳ − 1 = r + r²·P(r) for |r| ≤ ln2/2. */
    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector p = r.fma(E5, E4).fma(r, E3).fma(r, E2).fma(r, E1).fma(r, E0);
        return p.fma(r.mul(r), r);
    }

    /** The float with biased exponent {@code e} and zero mantissa: 2^(e − 127). */
    private static FloatVector powerOfTwo(IntVector e) {
        return e.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * tanh |x| = −m/(2 + m) with m = e^(−2|x|) − 1, which has no cancellation near 0 and tends to 1;
     * then the sign of x. |x| is clamped at 9.5, where tanh is 1 in float.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector m = expm1(ax.min(TANH_CLAMP).mul(MINUS_TWO));
        FloatVector t = m.neg().div(m.add(TWO));
        // The formula ran on |x|: negate where x < 0 (NaN compares false and stays NaN).
        return t.lanewise(VectorOperators.NEG, x.lt(0f)).blend(x, ax.lt(TANH_TINY));
    }

    /**
     * σ(x) = 1/(1 + e^−x), computed from e = e^−|x| ≤ 1 as {@code 1/(1 + e)} for x ≥ 0 and
     * {@code e/(1 + e)} for x &lt; 0, so that neither side overflows and tiny results keep their
     * precision.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        return ONE.blend(e, x.lt(0f)).div(ONE.add(e));
    }
}
