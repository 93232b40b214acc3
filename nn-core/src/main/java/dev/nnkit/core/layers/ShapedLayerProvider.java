package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.plugin.BasicPluginProvider;
import dev.nnkit.api.tensor.Shape;
import java.util.Optional;
import java.util.Set;

/**
 * Shared shell of the built-in layer providers with settings: the basics, and shapes that are
 * always said before building (so model files are checked against model.json first).
 */
abstract class ShapedLayerProvider<C extends Record> extends BasicPluginProvider<C, Layer> implements LayerProvider<C> {

    ShapedLayerProvider(String id, String description, Class<C> configType, C defaultConfig, Set<String> required) {
        super(id, description, configType, defaultConfig, required);
    }

    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public final Optional<LayerShapes> shapes(C config, Shape inputShape) {
        return Optional.of(shapesOf(config, inputShape));
    }

    /** What {@link #create} builds for {@code inputShape}, refusing an input it cannot take. */
    abstract LayerShapes shapesOf(C config, Shape inputShape);

    @Override
    public abstract Layer create(C config, LayerContext context);
}
