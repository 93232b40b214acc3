package com.example.focallion;

/**
 * Settings of the {@code focal} loss.
 *
 * @param gamma focusing parameter γ ≥ 0; 0 gives plain binary cross-entropy (default 2)
 * @param alpha weight α in [0, 1] of the positive class (default 0.25)
 */
public record FocalConfig(double gamma, double alpha) {
    public FocalConfig {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and ≥ 0; got " + gamma + ".");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1]; got " + alpha + ".");
        }
    }
}
