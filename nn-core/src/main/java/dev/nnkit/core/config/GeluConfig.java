package dev.nnkit.core.config;

/**
 * Settings of {@code gelu}, as PyTorch's {@code nn.GELU}.
 *
 * @param approximate {@code "none"}: h(z) = z·Φ(z), with Φ the standard normal distribution
 *     function; {@code "tanh"}: h(z) = ½z(1 + tanh(√(2/π)(z + 0.044715z³)))
 */
public record GeluConfig(String approximate) {
    public GeluConfig {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("approximate must be \"none\" (the exact z·Φ(z)) or \"tanh\"; got "
                    + (approximate == null ? "nothing" : "\"" + approximate + "\"") + ".");
        }
    }
}
