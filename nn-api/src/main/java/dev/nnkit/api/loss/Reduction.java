package dev.nnkit.api.loss;

import java.util.Locale;

/**
 * How per-sample losses become the batch loss. Applied by the engine, never by a loss. Matches
 * {@code torch.nn}'s {@code reduction} argument.
 */
public enum Reduction {
    /** C = 1/n Σ ℓᵢ (the default). */
    MEAN,
    /** C = Σ ℓᵢ. */
    SUM,
    /** No reduction: each ℓᵢ is reported; gradients are those of Σ ℓᵢ. */
    NONE;

    /** Lowercase id as written in configs. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
