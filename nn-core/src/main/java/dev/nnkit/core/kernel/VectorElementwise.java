package dev.nnkit.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise loops on the Vector API: a compare and a blend instead of a data-dependent branch. */
final class VectorElementwise implements Float32Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as D has doubles: what one float-to-double conversion fills. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));

    @Override
    public void leakyRelu(float[] z, float[] a, int n, float slope) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, i);
            if (slope == 0) {
                v.max(0f).intoArray(a, i);
            } else {
                v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(a, i);
            }
        }
        for (; i < n; i++) {
            a[i] = slope == 0 ? Math.max(z[i], 0f) : z[i] > 0 ? z[i] : slope * z[i];
        }
    }

    @Override
    public void leakyReluBackward(float[] z, float[] g, float[] out, int n, float slope) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, z, i).compare(VectorOperators.GT, 0f);
            FloatVector grad = FloatVector.fromArray(S, g, i);
            grad.mul(slope).blend(grad, positive).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = z[i] > 0 ? g[i] : slope * g[i];
        }
    }

    @Override
    public void sigmoid(float[] z, float[] a, int n) {
        VectorSigmoid.sigmoid(z, a, n);
    }

    @Override
    public void sigmoidBackward(float[] a, float[] g, float[] out, int n) {
        // The scalar loop's arithmetic in double lanes, so the same bits: a·(1 − a) is exact in
        // double, one rounding for the product with g, one to float. Written as scalar code, C2 on
        // JDK 17 chains the float/double conversions through one register: about 3 ns an element.
        int i = 0;
        for (int end = HALF.loopBound(n); i < end; i += HALF.length()) {
            DoubleVector av = (DoubleVector) FloatVector.fromArray(HALF, a, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector gv = (DoubleVector) FloatVector.fromArray(HALF, g, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector r = gv.mul(av.mul(DoubleVector.broadcast(D, 1).sub(av)));
            ((FloatVector) r.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = (float) (g[i] * ((double) a[i] * (1 - (double) a[i])));
        }
    }
}
