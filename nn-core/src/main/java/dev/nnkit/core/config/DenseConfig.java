package dev.nnkit.core.config;

import dev.nnkit.api.plugin.PluginIds;

/**
 * Settings of the {@code dense} layer: z = W·x + b with W of shape [units × inputs].
 *
 * @param units neurons in the layer (required, ≥ 1)
 * @param bias whether the layer adds b (seeds 001 and 004 have none)
 * @param weightInit id of the initializer for W
 * @param biasInit id of the initializer for b ({@code zeros} by default; {@code torch-default} with
 *     {@code weightInit} {@code torch-default} starts the layer as PyTorch's {@code nn.Linear})
 */
public record DenseConfig(int units, boolean bias, String weightInit, String biasInit) {
    public DenseConfig {
        if (units < 1) {
            throw new IllegalArgumentException("units must be at least 1; got " + units + ".");
        }
        if (!PluginIds.isValid(weightInit)) {
            throw new IllegalArgumentException("weightInit must be an initializer id such as 'glorot-uniform'; got '"
                    + weightInit + "'.");
        }
        InitializerChoice.checkBias(bias, biasInit);
    }

    /** A layer whose bias starts at zero. */
    public DenseConfig(int units, boolean bias, String weightInit) {
        this(units, bias, weightInit, InitializerChoice.ZEROS);
    }

    /** A biased layer of {@code units} neurons with Glorot-uniform weights. */
    public static DenseConfig of(int units) {
        return new DenseConfig(units, true, "glorot-uniform");
    }
}
