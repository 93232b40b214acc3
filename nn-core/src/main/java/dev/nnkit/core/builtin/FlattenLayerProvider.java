package dev.nnkit.core.builtin;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.FlattenLayer;
import java.util.Optional;

/** Provides {@code flatten}: [C, H, W] samples as rows of C·H·W values (PyTorch's nn.Flatten). */
public final class FlattenLayerProvider extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
    public FlattenLayerProvider() {
        super("flatten", "Flatten: each sample's values as one row, x[C, H, W] → x[C·H·W]");
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Layer create(NoConfig config, LayerContext context) {
        return FlattenLayer.of(context.inputShape());
    }

    @Override
    public Optional<LayerShapes> shapes(NoConfig config, Shape inputShape) {
        return Optional.of(LayerShapes.stateless(Shape.of(inputShape.size())));
    }
}
