package dev.nnkit.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Float32Statistics} on the Vector API: each vector of floats is widened into two vectors
 * of doubles (its lower and upper half) and summed in vector accumulators, their lanes added at
 * the end. The scalar loops convert and add one value at a time, 17% of the CNN example's step.
 *
 * <p>Only the preferred species: a narrower float vector here (half width, widened to one double
 * vector) made other kernels' call sites inside the Vector API see two vector classes, and C2
 * then boxed the dense products' vectors (470 MB of garbage per step).
 *
 * <p>The widening is written out at each use, not in a helper: on JDK 25, C2 inlined these loops
 * into batch norm's callers but not a two-line helper returning a vector, which then boxed every
 * widened vector (1.7 GB per 100 steps of ZeroAllocationTest's CNN).
 */
final class VectorStatistics implements Float32Statistics {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats per vector: two vectors of doubles. */
    private static final int L = F.length();
    private static final PortableStatistics TAIL = new PortableStatistics();

    @Override
    public double sum(float[] a, int at, int n) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector u = FloatVector.fromArray(F, a, at + i);
            FloatVector v = FloatVector.fromArray(F, a, at + i + L);
            s0 = s0.add(((DoubleVector) u.convertShape(VectorOperators.F2D, D, 0)));
            s1 = s1.add(((DoubleVector) u.convertShape(VectorOperators.F2D, D, 1)));
            s2 = s2.add(((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)));
            s3 = s3.add(((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD) + TAIL.sum(a, at + i, n - i);
    }

    @Override
    public double sumOfSquares(float[] a, int at, int n, double shift) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector u = FloatVector.fromArray(F, a, at + i);
            FloatVector v = FloatVector.fromArray(F, a, at + i + L);
            DoubleVector v0 = ((DoubleVector) u.convertShape(VectorOperators.F2D, D, 0)).sub(shift);
            DoubleVector v1 = ((DoubleVector) u.convertShape(VectorOperators.F2D, D, 1)).sub(shift);
            DoubleVector v2 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).sub(shift);
            DoubleVector v3 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).sub(shift);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD)
                + TAIL.sumOfSquares(a, at + i, n - i, shift);
    }

    @Override
    public void sumAndProducts(float[] a, int aAt, float[] b, int bAt, int n, double shift, double[] sums) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector p0 = s0;
        DoubleVector p1 = s0;
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector u = FloatVector.fromArray(F, a, aAt + i);
            FloatVector v = FloatVector.fromArray(F, b, bAt + i);
            DoubleVector a0 = ((DoubleVector) u.convertShape(VectorOperators.F2D, D, 0));
            DoubleVector a1 = ((DoubleVector) u.convertShape(VectorOperators.F2D, D, 1));
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            p0 = a0.fma(((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).sub(shift), p0);
            p1 = a1.fma(((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).sub(shift), p1);
        }
        sums[0] += s0.add(s1).reduceLanes(VectorOperators.ADD);
        sums[1] += p0.add(p1).reduceLanes(VectorOperators.ADD);
        TAIL.sumAndProducts(a, aAt + i, b, bAt + i, n - i, shift, sums);
    }
}
