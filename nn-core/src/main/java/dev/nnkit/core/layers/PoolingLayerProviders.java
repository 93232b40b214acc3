package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.config.AvgPool2dConfig;
import dev.nnkit.core.config.MaxPool2dConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Providers of the pooling layers: {@code max-pool2d}, {@code avg-pool2d}, {@code global-avg-pool2d}. */
public final class PoolingLayerProviders {
    private static final List<Integer> NO_DILATION = List.of(1, 1);

    private PoolingLayerProviders() {
    }

    /** {@code max-pool2d} ({@link MaxPool2dLayer}). */
    public static final class MaxPool2d extends ShapedLayerProvider<MaxPool2dConfig> {
        public MaxPool2d() {
            super("max-pool2d", "Max pooling: y[c, y, x] = max over the window at (y·s − p, x·s − p) of channel c",
                    MaxPool2dConfig.class, new MaxPool2dConfig(List.of(2), List.of(), 0), Set.of("kernel"));
        }

        @Override
        LayerShapes shapesOf(MaxPool2dConfig config, Shape input) {
            return LayerShapes.stateless(outputShape(input, window(input, config.kernel(), config.stride(), config.padding())));
        }

        @Override
        public Layer create(MaxPool2dConfig config, LayerContext context) {
            Shape input = context.inputShape();
            return new MaxPool2dLayer(window(input, config.kernel(), config.stride(), config.padding()), input.dim(0));
        }
    }

    /** {@code avg-pool2d} ({@link AvgPool2dLayer}). */
    public static final class AvgPool2d extends ShapedLayerProvider<AvgPool2dConfig> {
        public AvgPool2d() {
            super("avg-pool2d", "Average pooling: y[c, y, x] = mean over the window at (y·s − p, x·s − p) of channel c",
                    AvgPool2dConfig.class, new AvgPool2dConfig(List.of(2), List.of(), 0, true), Set.of("kernel"));
        }

        @Override
        LayerShapes shapesOf(AvgPool2dConfig config, Shape input) {
            return LayerShapes.stateless(outputShape(input, window(input, config.kernel(), config.stride(), config.padding())));
        }

        @Override
        public Layer create(AvgPool2dConfig config, LayerContext context) {
            Shape input = context.inputShape();
            return new AvgPool2dLayer(window(input, config.kernel(), config.stride(), config.padding()), input.dim(0),
                    config.countIncludePad());
        }
    }

    /** {@code global-avg-pool2d} ({@link GlobalAvgPool2dLayer}). */
    public static final class GlobalAvgPool2d extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
        public GlobalAvgPool2d() {
            super("global-avg-pool2d", "Global average pooling: y[c, 0, 0] = mean of channel c's pixels");
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Layer create(NoConfig config, LayerContext context) {
            Window2d.requireImages(context.inputShape(), id());
            return new GlobalAvgPool2dLayer(context.inputShape());
        }

        @Override
        public Optional<LayerShapes> shapes(NoConfig config, Shape input) {
            Window2d.requireImages(input, id());
            return Optional.of(LayerShapes.stateless(Shape.of(input.dim(0), 1, 1)));
        }
    }

    private static Window2d window(Shape input, List<Integer> kernel, List<Integer> stride, Object padding) {
        Window2d.requireImages(input, "pooling");
        return Window2d.of(input.dim(1), input.dim(2), kernel, stride, padding, NO_DILATION);
    }

    private static Shape outputShape(Shape input, Window2d w) {
        return Shape.of(input.dim(0), w.outH(), w.outW());
    }
}
