package dev.nnkit.core.kernel;

import static dev.nnkit.core.kernel.VectorSigmoid.FLOOR;
import static dev.nnkit.core.kernel.VectorSigmoid.LN2_HIGH;
import static dev.nnkit.core.kernel.VectorSigmoid.LN2_LOW;
import static dev.nnkit.core.kernel.VectorSigmoid.LOG2E;
import static dev.nnkit.core.kernel.VectorSigmoid.P0;
import static dev.nnkit.core.kernel.VectorSigmoid.P1;
import static dev.nnkit.core.kernel.VectorSigmoid.P2;
import static dev.nnkit.core.kernel.VectorSigmoid.P3;
import static dev.nnkit.core.kernel.VectorSigmoid.P4;
import static dev.nnkit.core.kernel.VectorSigmoid.P5;
import static dev.nnkit.core.kernel.VectorSigmoid.ROUNDER;
import static dev.nnkit.core.kernel.VectorSigmoid.ROUNDER_BITS;
import static dev.nnkit.core.kernel.VectorSigmoid.SCALE_BIAS;
import static dev.nnkit.core.kernel.VectorSigmoid.UNSCALE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * tanh(z) on float vectors by Cephes' tanhf, from operations whose results IEEE 754 fixes, so the
 * compiled loop, the Vector API's interpreted fallback and the scalar twin give the same bits (see
 * {@link VectorSigmoid}, whose exponential this is, line for line; the Vector API's {@code TANH}
 * is SVML once compiled). {@code Math.tanh} is no alternative: on JDK 17 it is StrictMath's, about
 * 20 ns an element, more than a dense layer's products per element at the MLP's sizes.
 *
 * <p>For |z| &lt; 0.625 an odd polynomial, |z| + |z|·z²·q(z²); above, with t = e^−2|z| ≤ 0.29,
 * (1 − t)/(1 + t), which cancels nothing. The sign is z's, bit for bit (tanh(−0) = −0).
 */
final class VectorTanh {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float SMALL = 0.625f;
    private static final float Q0 = -5.70498872745e-3f;
    private static final float Q1 = 2.06390887954e-2f;
    private static final float Q2 = -5.37397155531e-2f;
    private static final float Q3 = 1.33314422036e-1f;
    private static final float Q4 = -3.33332819422e-1f;
    private static final int SIGN = 0x80000000;

    private VectorTanh() {
    }

    /** a = tanh(z) over the first n elements. */
    static void tanh(float[] z, float[] a, int n) {
        // Constants as vectors once per call, as in VectorSigmoid (the Java fallback allocates each).
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
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector minusTwo = FloatVector.broadcast(S, -2f);
        FloatVector small = FloatVector.broadcast(S, SMALL);
        FloatVector unscale = FloatVector.broadcast(S, UNSCALE);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            FloatVector az = v.abs();
            // t = e^x for x = −2|z|, as VectorSigmoid computes e^−|z|.
            FloatVector x = az.mul(minusTwo);
            x = x.blend(floor, x.compare(VectorOperators.LT, floor));
            FloatVector rounded = x.fma(log2e, rounder);
            FloatVector k = rounded.sub(rounder);
            FloatVector r = k.mul(ln2High).add(x);
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
            FloatVector large = one.sub(t).div(one.add(t));
            FloatVector z2 = az.mul(az);
            FloatVector q = z2.fma(q0, q1);
            q = q.fma(z2, q2);
            q = q.fma(z2, q3);
            q = q.fma(z2, q4);
            FloatVector magnitude = large.blend(q.mul(z2).fma(az, az), az.compare(VectorOperators.LT, small));
            IntVector sign = ((IntVector) v.reinterpretAsInts()).and(SIGN);
            ((IntVector) magnitude.reinterpretAsInts()).or(sign).reinterpretAsFloats().intoArray(a, i);
        }
        for (; i < n; i++) {
            a[i] = tanh(z[i]);
        }
    }

    /** The loop's operations on one float, in the same order: the same bits. */
    static float tanh(float z) {
        float az = Math.abs(z);
        float x = az * -2f;
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
        float large = (1f - t) / (1f + t);
        float z2 = az * az;
        float q = Math.fma(z2, Q0, Q1);
        q = Math.fma(q, z2, Q2);
        q = Math.fma(q, z2, Q3);
        q = Math.fma(q, z2, Q4);
        float magnitude = az < SMALL ? Math.fma(q * z2, az, az) : large;
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) | (Float.floatToRawIntBits(z) & SIGN));
    }
}
