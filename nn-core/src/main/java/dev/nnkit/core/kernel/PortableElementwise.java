package dev.nnkit.core.kernel;

/** The stock-JDK element-wise loops. */
final class PortableElementwise implements Float32Elementwise {
    @Override
    public void leakyRelu(float[] z, float[] a, int from, int to, float slope) {
        // C2 vectorizes Math.max, where it leaves a branch scalar (and mispredicted half the time on
        // ReLU inputs). For 0 < slope ≤ 1, max(z, slope·z) is the same function.
        if (slope == 0) {
            for (int i = from; i < to; i++) {
                a[i] = Math.max(z[i], 0f);
            }
        } else if (slope > 0 && slope <= 1) {
            for (int i = from; i < to; i++) {
                a[i] = Math.max(z[i], slope * z[i]);
            }
        } else {
            for (int i = from; i < to; i++) {
                a[i] = z[i] > 0 ? z[i] : slope * z[i];
            }
        }
    }

    @Override
    public void leakyReluBackward(float[] z, float[] g, float[] out, int from, int to, float slope) {
        for (int i = from; i < to; i++) {
            out[i] = z[i] > 0 ? g[i] : slope * g[i];
        }
    }

    @Override
    public void sigmoid(float[] z, float[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = (float) ActivationKernels.sigmoid(z[i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] a, float[] g, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = g[i] * (1 - a[i]) * a[i];
        }
    }

    @Override
    public void tanh(float[] z, float[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = (float) ActivationKernels.tanhToFloat(z[i]);
        }
    }

    @Override
    public void tanhBackward(float[] a, float[] g, float[] out, int n) {
        // 1 − a² rounded twice, where PyTorch fuses it: Math.fma is a BigDecimal computation on
        // processors without FMA, and this loop must stay fast on any stock JDK.
        for (int i = 0; i < n; i++) {
            out[i] = g[i] * (1 - a[i] * a[i]);
        }
    }
}
