package dev.nnkit.losses.internal;

/**
 * Hinge losses for ±1 labels, averaged over the k outputs, as Keras defines them: targets are −1
 * or +1, and 0/1 targets are read as −1/+1. The gradient at the hinge point is 0.
 */
public final class MarginLosses {
    private MarginLosses() {
    }

    /** {@code hinge}: ℓ = 1/k Σ max(0, 1 − y·ŷ). */
    public static final class Hinge extends SettinglessLossProvider {
        public Hinge() {
            super("hinge", "Hinge: ℓ = 1/k Σ max(0, 1 − y·ŷ), y ∈ {−1, +1} (0 read as −1)",
                    (p, y, g) -> margin(p, y, g, false));
        }
    }

    /** {@code squared-hinge}: ℓ = 1/k Σ max(0, 1 − y·ŷ)². */
    public static final class SquaredHinge extends SettinglessLossProvider {
        public SquaredHinge() {
            super("squared-hinge", "Squared hinge: ℓ = 1/k Σ max(0, 1 − y·ŷ)², y ∈ {−1, +1} (0 read as −1)",
                    (p, y, g) -> margin(p, y, g, true));
        }
    }

    static double margin(double[] p, double[] y, double[] g, boolean squared) {
        int k = p.length;
        double s = 0;
        for (int j = 0; j < k; j++) {
            double label = sign(y[j]);
            double m = 1 - label * p[j];
            if (!(m <= 0)) { // NaN included, so a NaN prediction is not hidden
                s += squared ? m * m : m;
                g[j] = (squared ? -2 * m * label : -label) / k;
            } else {
                g[j] = 0;
            }
        }
        return s / k;
    }

    private static double sign(double y) {
        if (y == 1 || y == -1) {
            return y;
        }
        if (y == 0) {
            return -1;
        }
        throw new IllegalArgumentException("Hinge losses need targets −1 or +1 (or 0 for −1); got " + y + ".");
    }
}
