package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.config.Conv2dConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Provides {@code conv2d}, the 2-D convolution ({@link Conv2dLayer}). */
public final class Conv2dLayerProvider extends ShapedLayerProvider<Conv2dConfig> {
    public Conv2dLayerProvider() {
        super("conv2d", "2-D convolution: z[f, y, x] = b[f] + Σ_{c, ky, kx} W[f, c, ky, kx]·x[c, y·s − p + ky, x·s − p + kx]",
                Conv2dConfig.class, Conv2dConfig.of(1, 1), Set.of("filters", "kernel"));
    }

    @Override
    LayerShapes shapesOf(Conv2dConfig config, Shape input) {
        Window2d w = window(config, input);
        Map<String, Shape> parameters = new LinkedHashMap<>();
        parameters.put("weight", weightShape(config, input));
        if (config.bias()) {
            parameters.put("bias", Shape.of(config.filters()));
        }
        return new LayerShapes(Shape.of(config.filters(), w.outH(), w.outW()), parameters, Map.of());
    }

    @Override
    public Layer create(Conv2dConfig config, LayerContext context) {
        Shape input = context.inputShape();
        Window2d w = window(config, input);
        Shape weightShape = weightShape(config, input);
        Tensor weight = Tensor.zeros(context.dtype(), weightShape);
        int taps = w.taps();
        // PyTorch's fans for a convolution kernel: fan_in = C/groups·kH·kW, fan_out = F·kH·kW.
        context.initializer(config.weightInit()).initialize(weight, weightShape.dim(1) * taps, config.filters() * taps,
                context.random());
        Tensor bias = Tensor.zeros(context.dtype(), Shape.of(config.filters()));
        if (config.bias() && !config.biasInit().equals("zeros")) { // after the weights, in PyTorch's order
            context.initializer(config.biasInit()).initialize(bias, weightShape.dim(1) * taps, config.filters() * taps,
                    context.random());
        }
        return new Conv2dLayer(w, input.dim(0), config.groups(), Parameter.of("weight", Parameter.Role.WEIGHT, weight),
                Parameter.of("bias", Parameter.Role.BIAS, bias), config.bias());
    }

    private static Window2d window(Conv2dConfig config, Shape input) {
        Window2d.requireImages(input, "conv2d");
        if (input.dim(0) % config.groups() != 0) {
            throw new IllegalArgumentException("groups (" + config.groups() + ") must divide the input's channels ("
                    + input.dim(0) + ").");
        }
        return Window2d.of(input.dim(1), input.dim(2), config.kernel(), config.stride(), config.padding(),
                config.dilation());
    }

    private static Shape weightShape(Conv2dConfig config, Shape input) {
        long values = (long) config.filters() * input.dim(0) / config.groups() * config.kernel().get(0)
                * config.kernel().get(1);
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a weight of " + values + " values is more than a Java array holds;"
                    + " use fewer filters or a smaller kernel.");
        }
        return Shape.of(config.filters(), input.dim(0) / config.groups(), config.kernel().get(0), config.kernel().get(1));
    }
}
