package com.example.focallion.internal;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code channel-scale}: a learned factor per channel (per feature for [F] samples, per channel for
 * [C, H, W] images), as ConvNeXt's layer scale: y[n, c, …] = γ[c]·x[n, c, …], γ starting at 1.
 * Back propagation: ∂L/∂γ[c] = Σ δ·x over the channel's values, ∂L/∂x = γ[c]·δ.
 */
public final class ChannelScaleLayerProvider extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
    public ChannelScaleLayerProvider() {
        super("channel-scale", "Per-channel scale: y[n, c, …] = γ[c]·x[n, c, …]");
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Layer create(NoConfig config, LayerContext context) {
        Tensor gamma = Tensor.zeros(context.dtype(), Shape.of(context.inputShape().dim(0)));
        gamma.fill(1);
        return new ChannelScale(context.inputShape(), Parameter.of("weight", Parameter.Role.SCALE, gamma));
    }

    @Override
    public Optional<LayerShapes> shapes(NoConfig config, Shape inputShape) {
        return Optional.of(new LayerShapes(inputShape, Map.of("weight", Shape.of(inputShape.dim(0))), Map.of()));
    }

    private static final class ChannelScale implements Layer {
        private final Shape shape;
        private final Parameter gamma;
        private final int channels;
        private final int perChannel;

        ChannelScale(Shape shape, Parameter gamma) {
            this.shape = shape;
            this.gamma = gamma;
            this.channels = shape.dim(0);
            this.perChannel = shape.size() / channels;
        }

        @Override
        public Shape outputShape() {
            return shape;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(gamma);
        }

        /** The channel of flat index i within a batch of samples. */
        private int channel(int i) {
            return i / perChannel % channels;
        }

        @Override
        public void forward(Tensor input, Tensor output, PassContext context) {
            for (int i = 0; i < input.size(); i++) {
                output.set(i, gamma.value().get(channel(i)) * input.get(i));
            }
        }

        @Override
        public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
            gamma.gradient().fill(0);
            for (int i = 0; i < input.size(); i++) {
                int c = channel(i);
                gamma.gradient().set(c, gamma.gradient().get(c) + outputGradient.get(i) * input.get(i));
            }
        }

        @Override
        public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                                  PassContext context) {
            for (int i = 0; i < input.size(); i++) {
                inputGradient.set(i, gamma.value().get(channel(i)) * outputGradient.get(i));
            }
        }
    }
}
