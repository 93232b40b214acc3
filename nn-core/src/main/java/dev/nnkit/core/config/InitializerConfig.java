package dev.nnkit.core.config;

/**
 * Settings of the Glorot and He initializers.
 *
 * @param gain scale factor on the standard deviation or bound (1 by default), finite and &gt; 0
 */
public record InitializerConfig(double gain) {
    public InitializerConfig {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain must be finite and > 0; got " + gain + ".");
        }
    }
}
