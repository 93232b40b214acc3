package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.config.AvgPool2dConfig;
import dev.nnkit.core.config.BatchNormConfig;
import dev.nnkit.core.config.Conv2dConfig;
import dev.nnkit.core.config.DropoutConfig;
import dev.nnkit.core.config.MaxPool2dConfig;
import dev.nnkit.tck.LayerContract;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** Every built-in image and training-mode layer passes the layer test kit, at the input shapes it takes. */
class ImageLayerContractsTest {
    private static final Shape IMAGE = Shape.of(4, 5, 6);

    /** A contract for layers built by {@code build} on samples of {@code shape}. */
    abstract static class Contract extends LayerContract {
        @Override
        protected Shape inputShape() {
            return IMAGE;
        }
    }

    @Nested
    @DisplayName("conv2d 3×3, padding 1")
    class Conv extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new Conv2dLayerProvider().create(new Conv2dConfig(3, List.of(3), List.of(1), 1, List.of(1), 1, true,
                    "he-uniform"), context);
        }
    }

    @Nested
    @DisplayName("conv2d [2, 3], stride 2, dilation [1, 2], groups 2, no bias")
    class ConvStridedGrouped extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new Conv2dLayerProvider().create(new Conv2dConfig(4, List.of(2, 3), List.of(2), List.of(1, 0),
                    List.of(1, 2), 2, false, "he-uniform"), context);
        }
    }

    @Nested
    @DisplayName("conv2d padding \"same\" with an even kernel")
    class ConvSame extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new Conv2dLayerProvider().create(new Conv2dConfig(2, List.of(4), List.of(1), "same", List.of(1), 1,
                    true, "he-uniform"), context);
        }
    }

    @Nested
    @DisplayName("max-pool2d 2×2")
    class MaxPool extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new PoolingLayerProviders.MaxPool2d().create(new MaxPool2dConfig(List.of(2), List.of(), 0), context);
        }
    }

    @Nested
    @DisplayName("max-pool2d 3×3, stride 2, padding 1")
    class MaxPoolPadded extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new PoolingLayerProviders.MaxPool2d().create(new MaxPool2dConfig(List.of(3), List.of(2), 1), context);
        }
    }

    @Nested
    @DisplayName("avg-pool2d 3×2, padding 1, padding not counted")
    class AvgPool extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new PoolingLayerProviders.AvgPool2d().create(new AvgPool2dConfig(List.of(3, 2), List.of(1), 1, false),
                    context);
        }
    }

    @Nested
    @DisplayName("global-avg-pool2d")
    class GlobalAvgPool extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new PoolingLayerProviders.GlobalAvgPool2d().create(NoConfig.INSTANCE, context);
        }
    }

    @Nested
    @DisplayName("batch-norm over channels")
    class BatchNormChannels extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new NormalizationLayerProviders.BatchNorm().create(new BatchNormConfig(0.1, 1e-5, true), context);
        }
    }

    @Nested
    @DisplayName("batch-norm over features, without affine")
    class BatchNormFeatures extends LayerContract {
        @Override
        protected Shape inputShape() {
            return Shape.of(7);
        }

        @Override
        protected Layer layer(LayerContext context) {
            return new NormalizationLayerProviders.BatchNorm().create(new BatchNormConfig(0.3, 1e-3, false), context);
        }
    }

    @Nested
    @DisplayName("dropout p = 0.4 on images")
    class Dropout extends Contract {
        @Override
        protected Layer layer(LayerContext context) {
            return new NormalizationLayerProviders.Dropout().create(new DropoutConfig(0.4), context);
        }
    }
}
