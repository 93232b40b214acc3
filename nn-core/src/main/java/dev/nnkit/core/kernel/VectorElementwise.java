package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise loops on the Vector API: a compare and a blend instead of a data-dependent branch. */
final class VectorElementwise implements Float32Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void leakyRelu(float[] z, float[] a, int from, int to, float slope) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            if (slope == 0) {
                v.max(0f).intoArray(a, i);
            } else {
                v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(a, i);
            }
        }
        for (; i < to; i++) {
            a[i] = slope == 0 ? Math.max(z[i], 0f) : z[i] > 0 ? z[i] : slope * z[i];
        }
    }

    @Override
    public void leakyReluBackward(float[] z, float[] g, float[] out, int from, int to, float slope) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, z, i).compare(VectorOperators.GT, 0f);
            FloatVector grad = FloatVector.fromArray(S, g, i);
            grad.mul(slope).blend(grad, positive).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = z[i] > 0 ? g[i] : slope * g[i];
        }
    }

    @Override
    public void sigmoid(float[] z, float[] a, int n) {
        VectorSigmoid.sigmoid(z, a, n);
    }

    @Override
    public void sigmoidBackward(float[] a, float[] g, float[] out, int n) {
        // Only float vectors of the one preferred shape: converting to double lanes (a 256-bit float
        // shape) polluted the Vector API's shared type profiles, and the big products ran boxed.
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector av = FloatVector.fromArray(S, a, i);
            FloatVector.fromArray(S, g, i).mul(FloatVector.broadcast(S, 1f).sub(av)).mul(av).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = g[i] * (1 - a[i]) * a[i];
        }
    }

    @Override
    public void tanh(float[] z, float[] a, int n) {
        VectorTanh.tanh(z, a, n);
    }

    @Override
    public void tanhBackward(float[] a, float[] g, float[] out, int n) {
        // PyTorch's bits: 1 − a² as one fused multiply-add.
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector av = FloatVector.fromArray(S, a, i);
            FloatVector.fromArray(S, g, i).mul(av.neg().fma(av, one)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = g[i] * Math.fma(-a[i], a[i], 1f);
        }
    }
}
