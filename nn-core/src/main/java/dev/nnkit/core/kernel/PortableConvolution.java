package dev.nnkit.core.kernel;

/** {@link Float32Convolution} in plain loops (the portable path), one pixel at a time. */
final class PortableConvolution implements Float32Convolution {
    @Override
    public void direct(float[] x, int xBase, int[] taps, float[] w, int outC, float[] bias, float[] out, int outBase,
                       int outPlane, int length) {
        int n = taps.length;
        for (int o = 0; o < outC; o++) {
            int row = outBase + o * outPlane;
            java.util.Arrays.fill(out, row, row + length, bias == null ? 0f : bias[o]);
            for (int j = 0; j < n; j++) {
                float wj = w[o * n + j];
                int from = xBase + taps[j];
                for (int p = 0; p < length; p++) {
                    out[row + p] += wj * x[from + p];
                }
            }
        }
    }

    @Override
    public void weightSums(float[] g, int gBase, int gPlane, int outC, float[] x, int xBase, int[] taps, float[] dw,
                           int length) {
        int n = taps.length;
        for (int o = 0; o < outC; o++) {
            int gi = gBase + o * gPlane;
            for (int j = 0; j < n; j++) {
                int xi = xBase + taps[j];
                float s = 0;
                for (int p = 0; p < length; p++) {
                    s += g[gi + p] * x[xi + p];
                }
                dw[o * n + j] += s;
            }
        }
    }

    @Override
    public int lanes() {
        return 1;
    }
}
