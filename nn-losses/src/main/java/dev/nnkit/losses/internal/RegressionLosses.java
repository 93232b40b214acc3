package dev.nnkit.losses.internal;

/** Losses on real-valued outputs. */
public final class RegressionLosses {
    private RegressionLosses() {
    }

    /**
     * {@code mse}: ℓ = 1/k Σⱼ (ŷⱼ − yⱼ)², so the batch mean equals {@code torch.nn.MSELoss()}'s mean
     * over every element. Seed 003's C₀ = (a − y)² is this loss with one output.
     */
    public static final class MeanSquaredError extends SettinglessLossProvider {
        public MeanSquaredError() {
            super("mse", "Mean squared error: ℓ = 1/k Σⱼ (ŷⱼ − yⱼ)²", (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double d = p[j] - y[j];
                    s += d * d;
                    g[j] = 2 * d / p.length;
                }
                return s / p.length;
            });
        }
    }

    /** {@code half-sse}: ℓ = ½ Σⱼ (yⱼ − ŷⱼ)², the loss of seed 004 (its gradient is ŷ − y). */
    public static final class HalfSumSquaredError extends SettinglessLossProvider {
        public HalfSumSquaredError() {
            super("half-sse", "Half sum of squared errors: ℓ = ½ Σⱼ (yⱼ − ŷⱼ)²", (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double d = p[j] - y[j];
                    s += d * d;
                    g[j] = d;
                }
                return s / 2;
            });
        }
    }
}
