package dev.nnkit.core.kernel;

/**
 * {@link Float32Statistics} in plain loops, in four (or two) interleaved partial sums: C2 may not
 * reorder a floating-point sum, so independent chains are what lets the CPU add in parallel.
 */
final class PortableStatistics implements Float32Statistics {

    @Override
    public double sum(float[] f, int at, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + n;
        for (; i + 3 < end; i += 4) {
            s0 += f[i];
            s1 += f[i + 1];
            s2 += f[i + 2];
            s3 += f[i + 3];
        }
        for (; i < end; i++) {
            s0 += f[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double sumOfSquares(float[] f, int at, int n, double shift) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + n;
        for (; i + 3 < end; i += 4) {
            double v0 = f[i] - shift;
            double v1 = f[i + 1] - shift;
            double v2 = f[i + 2] - shift;
            double v3 = f[i + 3] - shift;
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < end; i++) {
            double v = f[i] - shift;
            s0 += v * v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void sumAndProducts(float[] fa, int aAt, float[] fb, int bAt, int n, double shift, double[] sums) {
        double s0 = 0;
        double s1 = 0;
        double p0 = 0;
        double p1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float a0 = fa[aAt + i];
            float a1 = fa[aAt + i + 1];
            s0 += a0;
            s1 += a1;
            p0 += a0 * (fb[bAt + i] - shift);
            p1 += a1 * (fb[bAt + i + 1] - shift);
        }
        for (; i < n; i++) {
            s0 += fa[aAt + i];
            p0 += fa[aAt + i] * (fb[bAt + i] - shift);
        }
        sums[0] += s0 + s1;
        sums[1] += p0 + p1;
    }
}
