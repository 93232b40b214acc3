package com.example.focallion;

import com.example.focallion.internal.ChannelScaleLayerProvider;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.tck.LayerContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The layer passes nnkit's layer test kit on images and on rows of features. */
@DisplayName("channel-scale")
class ChannelScaleLayerTest extends LayerContract {
    @Override
    protected Layer layer(LayerContext context) {
        return new ChannelScaleLayerProvider().create(NoConfig.INSTANCE, context);
    }

    @Override
    protected Shape inputShape() {
        return Shape.of(3, 4, 5);
    }

    @Nested
    @DisplayName("on features")
    class OnFeatures extends LayerContract {
        @Override
        protected Layer layer(LayerContext context) {
            return new ChannelScaleLayerProvider().create(NoConfig.INSTANCE, context);
        }

        @Override
        protected Shape inputShape() {
            return Shape.of(6);
        }
    }
}
