package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * σ(z) on float vectors with an exponential built from operations whose results IEEE 754 fixes
 * (fused multiply-adds, adds, multiplies, a division, compares, integer shifts), so the
 * JIT-compiled code, the Vector API's interpreted fallback and the scalar twin used for the last
 * elements all give the same bits. The Vector API's own {@code EXP} does not: C2 calls Intel
 * SVML, the fallback Math.exp, and 716 of 65,536 results differed in the last bit, so a sigmoid
 * network's training could depend on when the JIT compiled the kernel, and a resumed run, which
 * starts interpreted, could end with other weights than one never interrupted.
 *
 * <p>t = e^−|z| by Cephes' expf: −|z| = k·ln 2 + r with |r| ≤ ln 2 / 2 (k rounded by adding
 * 1.5·2²³, ln 2 in two parts), e^r = 1 + r + r²·p(r) with a degree-5 polynomial, then a scale by
 * 2^k built from k's bits, in two steps so results below 2⁻¹²⁶ are rounded once. Then
 * σ = 1/(1 + t) for z ≥ 0 and t/(1 + t) below.
 *
 * <p>{@link VectorTanh} uses the same exponential, line for line (keep the two in step).
 *
 * <p>Everything runs inside the array loop: a helper taking or returning a vector, once compiled
 * on its own and too big to inline, makes C2 box every vector passed to it (a training step
 * allocated 6 KB that way).
 */
final class VectorSigmoid {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUNDER = 0x1.8p23f; // adding it rounds a float below 2^22 to an integer
    static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    static final float LN2_HIGH = 0.693359375f; // 9 significant bits: k·LN2_HIGH is exact
    static final float LN2_LOW = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    /** Below it e^x rounds to 0 in float: clamping there keeps k within the scaling's range. */
    static final float FLOOR = -104f;
    /** 2^(k + 64) is a normal float for every k in [−150, 0]; 2^−64 then scales back, rounding once. */
    static final int SCALE_BIAS = 127 + 64;
    static final float UNSCALE = 0x1p-64f;

    private VectorSigmoid() {
    }

    /** a = σ(z) over the first n elements. */
    static void sigmoid(float[] z, float[] a, int n) {
        // The constants as vectors once per call: until C2 compiles this loop, the Vector API's
        // Java fallback allocates every vector an operation makes, broadcasts of scalars included.
        FloatVector floor = FloatVector.broadcast(S, FLOOR);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector rounder = FloatVector.broadcast(S, ROUNDER);
        FloatVector ln2High = FloatVector.broadcast(S, -LN2_HIGH);
        FloatVector ln2Low = FloatVector.broadcast(S, -LN2_LOW);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector p3 = FloatVector.broadcast(S, P3);
        FloatVector p4 = FloatVector.broadcast(S, P4);
        FloatVector p5 = FloatVector.broadcast(S, P5);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector unscale = FloatVector.broadcast(S, UNSCALE);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            FloatVector x = v.abs().neg();
            x = x.blend(floor, x.compare(VectorOperators.LT, floor));
            FloatVector rounded = x.fma(log2e, rounder);
            FloatVector k = rounded.sub(rounder);
            FloatVector r = k.mul(ln2High).add(x); // exact product: one rounding, as a fused one
            r = k.fma(ln2Low, r);
            FloatVector p = r.fma(p0, p1);
            p = p.fma(r, p2);
            p = p.fma(r, p3);
            p = p.fma(r, p4);
            p = p.fma(r, p5);
            FloatVector er = p.fma(r.mul(r), r).add(one);
            IntVector kBits = ((IntVector) rounded.reinterpretAsInts()).sub(ROUNDER_BITS);
            FloatVector scale = ((IntVector) kBits.add(SCALE_BIAS).lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
            FloatVector t = er.mul(scale).mul(unscale);
            FloatVector s = one.div(t.add(one));
            VectorMask<Float> negative = v.compare(VectorOperators.LT, zero);
            s.blend(t.mul(s), negative).intoArray(a, i);
        }
        for (; i < n; i++) {
            a[i] = sigmoid(z[i]);
        }
    }

    /** The loop's operations on one float, in the same order: the same bits. */
    static float sigmoid(float z) {
        float x = -Math.abs(z);
        x = x < FLOOR ? FLOOR : x;
        float rounded = Math.fma(x, LOG2E, ROUNDER);
        float k = rounded - ROUNDER;
        float r = k * -LN2_HIGH + x;
        r = Math.fma(k, -LN2_LOW, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float er = Math.fma(p, r * r, r) + 1f;
        int kBits = Float.floatToRawIntBits(rounded) - ROUNDER_BITS;
        float t = er * Float.intBitsToFloat((kBits + SCALE_BIAS) << 23) * UNSCALE;
        float s = 1f / (t + 1f);
        return z < 0 ? t * s : s;
    }
}
