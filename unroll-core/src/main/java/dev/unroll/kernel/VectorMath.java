package dev.unroll.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * tanh and the logistic sigmoid on float vectors, built from plain Vector API arithmetic.
 * {@code VectorOperators.EXP/TANH} are avoided: on JDK 17 they are not intrinsified and run an
 * order of magnitude slower. Loaded only through {@link VectorKernels}.
 *
 * <p>Accuracy, checked by {@code ElementwiseParityTest} against {@link Math#tanh}/{@link Math#exp} in
 * double: tanh and sigmoid within 3 ulp of the correctly rounded result over the whole float range
 * (subnormal results included), saturating to exactly ±1, 0 or 1; NaN gives NaN; ±∞ gives the limit.
 * (Run over all 2³² inputs once, both are within 2 ulp; 0.006% of tanh's results are 2 ulp off.)
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
    private static final FloatVector MINUS_LOG2_E = c(-1.44269504088896341f);
    private static final FloatVector MINUS_TWO_LOG2_E = c(-2 * 1.44269504088896341f);
    /** −ln 2 split in two so that {@code x − n·ln2} loses nothing: LN2_HI + LN2_LO = ln 2 to ~2⁻⁵⁰. */
    private static final FloatVector MINUS_LN2_HI = c(-0.693145751953125f);
    private static final FloatVector MINUS_LN2_LO = c(-1.428606765330187045e-6f);
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
    private static final FloatVector ROUNDER = c(12582912f);
    /** Turns the bits of ROUNDER + n into the biased exponent n + 127 of 2ⁿ. */
    private static final IntVector ROUNDER_TO_EXPONENT = bits(127 - 0x4B40_0000);
    private static final IntVector MAGNITUDE = bits(0x7FFF_FFFF);
    private static final IntVector SIGN = bits(0x8000_0000);
    /** tanh rounds to ±1 in float beyond |x| ≈ 9.01; clamping there keeps 2ⁿ normal in its expm1. */
    private static final IntVector TANH_CLAMP = bits(Float.floatToIntBits(9.5f));
    /** e^−104 &lt; 2⁻¹⁵⁰: σ(−x) rounds to +0 and σ(x) to 1 beyond 104. */
    private static final IntVector SIGMOID_CLAMP = bits(Float.floatToIntBits(104f));

    /** Cephes' minimax polynomial for (eʳ − 1 − r)/r² on |r| ≤ ln2/2 (about 1 ulp). */
    private static final FloatVector E5 = c(1.9875691500e-4f);
    private static final FloatVector E4 = c(1.3981999507e-3f);
    private static final FloatVector E3 = c(8.3334519073e-3f);
    private static final FloatVector E2 = c(4.1665795894e-2f);
    private static final FloatVector E1 = c(1.6666665459e-1f);
    private static final FloatVector E0 = c(5.0000001201e-1f);

    private VectorMath() {
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(F, value);
    }

    private static IntVector bits(int value) {
        return IntVector.broadcast(F.withLanes(int.class), value);
    }

    /**
     * e^(−a) for a in [0, 104], by range reduction: −a = n·ln2 + r with |r| ≤ ln2/2, eʳ by a
     * polynomial, then the scale 2ⁿ applied in two halves so that subnormal results (n down to −150)
     * are rounded only once.
     */
    private static FloatVector expOfMinus(FloatVector a) {
        FloatVector t = a.fma(MINUS_LOG2_E, ROUNDER);
        FloatVector q = expm1Reduced(reduce(a.neg(), t));
        // Biased exponents of 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), both normal for n in [−150, 0].
        IntVector e = t.reinterpretAsInts().add(ROUNDER_TO_EXPONENT);
        IntVector half = e.lanewise(VectorOperators.ASHR, 1);
        FloatVector firstHalf = powerOfTwo(half.add(63));
        return q.fma(firstHalf, firstHalf).mul(powerOfTwo(e.sub(half).add(64)));
    }

    /** r = x − n·ln2 with n = x/ln2 rounded to an integer, held as ROUNDER + n. */
    private static FloatVector reduce(FloatVector x, FloatVector rounded) {
        FloatVector n = rounded.sub(ROUNDER);
        // n·LN2_HI is exact (LN2_HI has 15 significant bits, |n| ≤ 150), and so is x − n·LN2_HI;
        // n·LN2_LO is formed beside it rather than after it, which shortens the dependency chain.
        return n.fma(MINUS_LN2_HI, x).add(n.mul(MINUS_LN2_LO));
    }

    /**
     * eʳ − 1 = r + r²·P(r) for |r| ≤ ln2/2, P = (E0 + E1·r) + r²·(E2 + E3·r) + r⁴·(E4 + E5·r)
     * grouped by Estrin's scheme: four dependent FMAs where Horner's has six. Latency, not the count
     * of operations, bounds these loops (the out-of-order window holds only a few of them at a
     * time). The last FMA adds r itself, so the result is rounded once at its own magnitude (grouping
     * r with the r² term instead saves one more FMA's latency but lets tanh reach 3 ulp).
     */
    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector r2 = r.mul(r);
        FloatVector low = r.fma(E1, E0);
        FloatVector mid = r.fma(E3, E2);
        FloatVector high = r.fma(E5, E4);
        FloatVector p = r2.mul(r2).fma(high, r2.fma(mid, low));
        return p.fma(r2, r);
    }

    /** The float with biased exponent {@code e} and zero mantissa: 2^(e − 127). */
    private static FloatVector powerOfTwo(IntVector e) {
        return e.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * |x| clamped to {@code limit}, by an integer min on the bits: the bit patterns of non-negative
     * floats order as their values, and one integer min is far cheaper than {@code FloatVector.min},
     * whose NaN and −0 semantics take five instructions. A NaN clamps to the limit too, so callers
     * put NaN back at the end ({@link #keepNaN}).
     */
    private static FloatVector clampedMagnitude(IntVector bits, IntVector limit) {
        return bits.and(MAGNITUDE).min(limit).reinterpretAsFloats();
    }

    /** {@code result}, or x itself where x is NaN. */
    private static FloatVector keepNaN(FloatVector result, FloatVector x) {
        return result.blend(x, x.compare(VectorOperators.NE, x));
    }

    /**
     * tanh |x| = (1 − e)/(1 + e) with e = e^(−2|x|) = s·(1 + q), s = 2ⁿ and q = eʳ − 1: the numerator
     * (1 − s) − s·q and the denominator (1 + s) + s·q are each one FMA, with no cancellation near 0
     * (there s = 1 and the numerator is −q exactly: tanh gives x itself for tiny x), and the quotient
     * tends to 1. Then the sign of x. |x| is clamped at 9.5, where tanh is 1 in float, which keeps
     * 2ⁿ normal.
     */
    static FloatVector tanh(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector a = clampedMagnitude(bits, TANH_CLAMP);
        // a·(−2·log₂e) is the product (−2a)·log₂e: scaling by 2 is exact, so n is the same.
        FloatVector t = a.fma(MINUS_TWO_LOG2_E, ROUNDER);
        FloatVector s = powerOfTwo(t.reinterpretAsInts().add(ROUNDER_TO_EXPONENT));
        FloatVector q = expm1Reduced(reduce(a.mul(MINUS_TWO), t));
        // ONE.sub(s) is +0 for s = 1, so the magnitude of tanh(±0) is +0 and OR-ing in x's sign gives ±0.
        FloatVector magnitude = q.fma(s.neg(), ONE.sub(s)).div(q.fma(s, ONE.add(s)));
        return keepNaN(magnitude.reinterpretAsInts().or(bits.and(SIGN)).reinterpretAsFloats(), x);
    }

    /**
     * σ(x) = 1/(1 + e^−x), computed from e = e^−|x| ≤ 1 as {@code 1/(1 + e)} for x ≥ 0 and
     * {@code e/(1 + e)} for x &lt; 0, so that neither side overflows and tiny results keep their
     * precision. |x| is clamped at 104, where e^−|x| is below half the smallest subnormal.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = expOfMinus(clampedMagnitude(x.reinterpretAsInts(), SIGMOID_CLAMP));
        return keepNaN(ONE.blend(e, x.lt(0f)).div(ONE.add(e)), x);
    }
}
