package ${package};

/**
 * Settings of the ${pluginId} loss, ℓ = Σⱼ δ · log cosh((ŷⱼ − yⱼ) / δ): close to ½(ŷ − y)²/δ for
 * small errors and to |ŷ − y| − δ·log 2 for large ones, like Huber's loss but smooth everywhere.
 * Checked here, so a bad value in a training config is refused by name before training starts.
 *
 * @param delta δ &gt; 0, the error at which the loss turns from quadratic to linear (default 1)
 */
public record LogCoshConfig(double delta) {
    public LogCoshConfig {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and > 0; got " + delta + ".");
        }
    }
}
