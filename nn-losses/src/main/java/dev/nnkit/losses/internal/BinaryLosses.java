package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;

/** Binary cross-entropy, from probabilities and from logits. Targets are in [0, 1]. */
public final class BinaryLosses {
    /** PyTorch's floor on p(1 − p) in BCELoss's gradient, so p = 0 or 1 gives no infinity. */
    private static final double GRADIENT_EPS = 1e-12;
    /** PyTorch clamps log p at −100 so a confident wrong answer costs 100, not ∞. */
    private static final double LOG_FLOOR = -100;

    private BinaryLosses() {
    }

    /**
     * {@code binary-cross-entropy}: ℓ = −1/k Σⱼ [yⱼ log pⱼ + (1 − yⱼ) log(1 − pⱼ)] on sigmoid outputs p,
     * as {@code torch.nn.BCELoss}. Prefer {@code binary-cross-entropy-logits} for stability.
     */
    public static final class FromProbabilities extends SettinglessLossProvider {
        public FromProbabilities() {
            super("binary-cross-entropy", "Binary cross-entropy on probabilities: ℓ = −1/k Σ [y log p + (1−y) log(1−p)]",
                    (ClassLoss) BinaryLosses::probabilities);
        }
    }

    /**
     * {@code binary-cross-entropy-logits}: sigmoid fused into the loss, as
     * {@code torch.nn.BCEWithLogitsLoss}: ℓ = 1/k Σⱼ [max(zⱼ, 0) − zⱼyⱼ + log(1 + e^−|zⱼ|)],
     * ∂ℓ/∂zⱼ = (σ(zⱼ) − yⱼ)/k. Predictions apply the sigmoid.
     */
    public static final class FromLogits extends SettinglessLossProvider {
        public FromLogits() {
            super("binary-cross-entropy-logits",
                    "Binary cross-entropy on logits (sigmoid fused): ℓ = 1/k Σ [max(z,0) − z·y + log(1 + e^−|z|)]",
                    new ClassLoss() {
                        @Override
                        public double sampleLoss(double[] z, double[] y, double[] g) {
                            return logits(z, y, g);
                        }

                        @Override
                        public String predictionActivation() {
                            return "sigmoid";
                        }
                    });
        }
    }

    static double probabilities(double[] p, double[] y, double[] g) {
        int k = p.length;
        double s = 0;
        for (int j = 0; j < k; j++) {
            checkTarget(y[j]);
            // With a hard label one term is multiplied by zero: skip its logarithm (the sum is the
            // same bit for bit, as both clamped logs are finite).
            double logP = y[j] == 0 ? 0 : Math.max(Math.log(p[j]), LOG_FLOOR);
            double logQ = y[j] == 1 ? 0 : Math.max(logOneMinus(p[j]), LOG_FLOOR);
            s -= y[j] * logP + (1 - y[j]) * logQ;
            g[j] = perOutput((p[j] - y[j]) / Math.max(p[j] * (1 - p[j]), GRADIENT_EPS), k);
        }
        return perOutput(s, k);
    }

    /**
     * log(1 − p): Math.log of 1 − p when that difference is exact (always for p from a float32
     * network down to 2⁻³⁰), else log1p(−p), which stays accurate for small p. Math.log is a JIT
     * intrinsic, half the cost of log1p; both are within an ulp of the same exact value.
     */
    private static double logOneMinus(double p) {
        double q = 1 - p;
        return 1 - q == p ? Math.log(q) : Math.log1p(-p);
    }

    /** v / k without dividing for one output (x / 1 is x): the divisions by 1 took a tenth of a tiny network's loss. */
    private static double perOutput(double v, int k) {
        return k == 1 ? v : v / k;
    }

    static double logits(double[] z, double[] y, double[] g) {
        int k = z.length;
        double s = 0;
        for (int j = 0; j < k; j++) {
            checkTarget(y[j]);
            // One exp for the loss and σ: t = e^−|z|, σ = 1/(1 + t) for z ≥ 0 and t/(1 + t) below
            // (the same values as e^z/(1 + e^z)), with a select instead of a mispredicted branch.
            double t = Math.exp(-Math.abs(z[j]));
            s += Math.max(z[j], 0) - z[j] * y[j] + Math.log1p(t);
            double sigma = (z[j] >= 0 ? 1 : t) / (1 + t);
            g[j] = perOutput(sigma - y[j], k);
        }
        return perOutput(s, k);
    }

    private static void checkTarget(double y) {
        if (!(y >= 0 && y <= 1)) {
            throw new IllegalArgumentException("Binary cross-entropy needs targets in [0, 1]; got " + y
                    + ". Map the two classes to 0 and 1.");
        }
    }
}
