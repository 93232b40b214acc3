package dev.nnkit.core.config;

/**
 * Settings of {@code batch-norm}, as PyTorch's {@code nn.BatchNorm1d} (after a dense layer, over
 * features) and {@code nn.BatchNorm2d} (after a convolution, over channels): in training each
 * channel is normalized with its batch mean and (biased) variance, and the running statistics move
 * toward them, the variance unbiased; in inference the running statistics normalize.
 *
 * @param momentum weight of the batch in the running statistics: running = (1 − m)·running + m·batch,
 *     in [0, 1] (PyTorch's default 0.1)
 * @param eps added to the variance before its square root, &gt; 0 (default 1e-5)
 * @param affine whether a learned scale γ and shift β follow the normalization (default true)
 */
public record BatchNormConfig(double momentum, double eps, boolean affine) {
    public BatchNormConfig {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1]; got " + momentum + ".");
        }
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("eps must be a positive number; got " + eps + ".");
        }
    }
}
