package dev.nnkit.core.builtin;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.tck.LayerContract;

/** The plugin kit's layer contract, on image-shaped samples. */
class FlattenLayerTest extends LayerContract {
    @Override
    protected Layer layer(LayerContext context) {
        return new FlattenLayerProvider().create(NoConfig.INSTANCE, context);
    }

    @Override
    protected Shape inputShape() {
        return Shape.of(2, 3, 2);
    }
}
