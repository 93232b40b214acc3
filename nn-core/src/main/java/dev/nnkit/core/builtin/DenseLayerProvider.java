package dev.nnkit.core.builtin;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.config.DenseConfig;
import dev.nnkit.core.network.DenseLayer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Provides {@code dense}, the fully connected layer. */
public final class DenseLayerProvider implements LayerProvider<DenseConfig> {
    @Override
    public String id() {
        return "dense";
    }

    @Override
    public Class<DenseConfig> configType() {
        return DenseConfig.class;
    }

    @Override
    public DenseConfig defaultConfig() {
        return DenseConfig.of(1);
    }

    @Override
    public Set<String> requiredKeys() {
        return Set.of("units");
    }

    @Override
    public String description() {
        return "Fully connected layer: z = W·x + b";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Layer create(DenseConfig config, LayerContext context) {
        // Samples of any shape are taken as their values in row-major order ([1, 28, 28] as 784
        // features): PyTorch's nn.Flatten() then nn.Linear, with the same weight [units, C·H·W].
        int in = context.inputSize();
        weightShape(config, context.inputShape()); // refuses a weight no array can hold, with the numbers
        Tensor w = Tensor.zeros(context.dtype(), Shape.of(config.units(), in));
        context.initializer(config.weightInit()).initialize(w, in, config.units(), context.random());
        // A bias-free layer still gets a (never used, never exposed) bias tensor so the kernels
        // take one code path; it is not among the layer's parameters.
        Tensor b = Tensor.zeros(context.dtype(), Shape.of(config.units()));
        if (config.bias() && !config.biasInit().equals("zeros")) { // after W, in PyTorch's order; zeros draws nothing
            context.initializer(config.biasInit()).initialize(b, in, config.units(), context.random());
        }
        return DenseLayer.of(Parameter.of("weight", Parameter.Role.WEIGHT, w),
                Parameter.of("bias", Parameter.Role.BIAS, b), config.bias());
    }

    @Override
    public Optional<LayerShapes> shapes(DenseConfig config, Shape inputShape) {
        Map<String, Shape> parameters = new LinkedHashMap<>();
        parameters.put("weight", weightShape(config, inputShape));
        if (config.bias()) {
            parameters.put("bias", Shape.of(config.units()));
        }
        return Optional.of(new LayerShapes(Shape.of(config.units()), parameters, Map.of()));
    }

    private static Shape weightShape(DenseConfig config, Shape inputShape) {
        long values = (long) config.units() * inputShape.size();
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a weight of " + config.units() + " units × " + inputShape.size()
                    + " inputs = " + values + " values is more than a Java array holds (" + (Integer.MAX_VALUE - 8)
                    + "); use fewer units.");
        }
        return Shape.of(config.units(), inputShape.size());
    }
}
