package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;

/**
 * Categorical cross-entropy over k classes: targets as probability rows (one-hot or soft) or, for
 * the sparse variants, one class index per row; predictions as probabilities (after softmax) or
 * logits (softmax fused, as {@code torch.nn.CrossEntropyLoss}).
 */
public final class CategoricalLosses {
    /** Floor on p inside log p, so p = 0 costs −log 1e-12 ≈ 27.6 instead of ∞. */
    private static final double P_FLOOR = 1e-12;

    private CategoricalLosses() {
    }

    /** {@code categorical-cross-entropy}: ℓ = −Σⱼ yⱼ log pⱼ on softmax outputs p. */
    public static final class FromProbabilities extends SettinglessLossProvider {
        public FromProbabilities() {
            super("categorical-cross-entropy", "Categorical cross-entropy on probabilities: ℓ = −Σ y log p",
                    (ClassLoss) (p, y, g) -> {
                        double s = 0;
                        for (int j = 0; j < p.length; j++) {
                            double q = Math.max(p[j], P_FLOOR);
                            s -= y[j] * Math.log(q);
                            g[j] = -y[j] / q;
                        }
                        return s;
                    });
        }
    }

    /**
     * {@code categorical-cross-entropy-logits}: ℓ = (Σⱼ yⱼ)·logsumexp(z) − Σⱼ yⱼ zⱼ,
     * ∂ℓ/∂zⱼ = (Σ y)·softmax(z)ⱼ − yⱼ. Predictions apply softmax.
     */
    public static final class FromLogits extends SettinglessLossProvider {
        public FromLogits() {
            super("categorical-cross-entropy-logits",
                    "Categorical cross-entropy on logits (softmax fused): ℓ = −Σ y log softmax(z)", new ClassLoss() {
                        @Override
                        public double sampleLoss(double[] z, double[] y, double[] g) {
                            double lse = softmaxInto(z, g);
                            double ySum = 0;
                            double s = 0;
                            for (int j = 0; j < z.length; j++) {
                                ySum += y[j];
                                s -= y[j] * (z[j] - lse);
                            }
                            for (int j = 0; j < z.length; j++) {
                                g[j] = ySum * g[j] - y[j];
                            }
                            return s;
                        }

                        @Override
                        public String predictionActivation() {
                            return "softmax";
                        }
                    });
        }
    }

    /** {@code sparse-categorical-cross-entropy}: ℓ = −log p_c for the class index c. */
    public static final class SparseFromProbabilities extends SettinglessLossProvider {
        public SparseFromProbabilities() {
            super("sparse-categorical-cross-entropy",
                    "Categorical cross-entropy on probabilities, class-index targets: ℓ = −log p_c", new ClassLoss() {
                        @Override
                        public double sampleLoss(double[] p, double[] y, double[] g) {
                            int c = classIndex(y[0], p.length);
                            java.util.Arrays.fill(g, 0);
                            double q = Math.max(p[c], P_FLOOR);
                            g[c] = -1 / q;
                            return -Math.log(q) + nonFiniteGuard(p);
                        }

                        @Override
                        public int targetWidth(int outputs) {
                            return 1;
                        }
                    });
        }
    }

    /**
     * {@code sparse-categorical-cross-entropy-logits}: ℓ = logsumexp(z) − z_c, ∂ℓ/∂z = softmax(z) − e_c;
     * {@code torch.nn.CrossEntropyLoss} with class indices. Predictions apply softmax.
     */
    public static final class SparseFromLogits extends SettinglessLossProvider {
        public SparseFromLogits() {
            super("sparse-categorical-cross-entropy-logits",
                    "Categorical cross-entropy on logits, class-index targets: ℓ = logsumexp(z) − z_c", new ClassLoss() {
                        @Override
                        public double sampleLoss(double[] z, double[] y, double[] g) {
                            int c = classIndex(y[0], z.length);
                            double lse = softmaxInto(z, g);
                            g[c] -= 1;
                            return lse - z[c];
                        }

                        @Override
                        public int targetWidth(int outputs) {
                            return 1;
                        }

                        @Override
                        public String predictionActivation() {
                            return "softmax";
                        }
                    });
        }
    }

    /** Writes softmax(z) into {@code out} and returns logsumexp(z), shifted by max z for stability. */
    static double softmaxInto(double[] z, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            out[j] = Math.exp(z[j] - max);
            sum += out[j];
        }
        for (int j = 0; j < z.length; j++) {
            out[j] /= sum;
        }
        return max + Math.log(sum);
    }

    /**
     * 0, or NaN when any prediction is NaN or infinite: ℓ reads only p_c, but a broken prediction
     * elsewhere must still surface as a non-finite loss.
     */
    static double nonFiniteGuard(double[] p) {
        double guard = 0;
        for (double v : p) {
            guard += v * 0; // NaN for NaN and ±∞, else 0
        }
        return guard;
    }

    static int classIndex(double y, int classes) {
        if (!(y >= 0 && y < classes && y == Math.rint(y))) {
            throw new IllegalArgumentException("Class index " + y + " is not a whole number in [0, " + classes
                    + "). Sparse targets hold one class index per row; the network has " + classes + " outputs.");
        }
        return (int) y;
    }
}
