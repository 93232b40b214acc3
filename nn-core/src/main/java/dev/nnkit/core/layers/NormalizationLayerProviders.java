package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.config.BatchNormConfig;
import dev.nnkit.core.config.DropoutConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Providers of {@code batch-norm} and {@code dropout}, the layers that behave differently in training. */
public final class NormalizationLayerProviders {
    private NormalizationLayerProviders() {
    }

    /** {@code batch-norm} ({@link BatchNormLayer}), over features of [F] or channels of [C, H, W]. */
    public static final class BatchNorm extends ShapedLayerProvider<BatchNormConfig> {
        public BatchNorm() {
            super("batch-norm", "Batch normalization: y = γ·(x − μ)/√(σ² + ε) + β per feature or channel, batch"
                    + " statistics in training, running ones in inference", BatchNormConfig.class,
                    new BatchNormConfig(0.1, 1e-5, true), Set.of());
        }

        @Override
        LayerShapes shapesOf(BatchNormConfig config, Shape input) {
            Shape channels = Shape.of(input.dim(0));
            Map<String, Shape> parameters = new LinkedHashMap<>();
            if (config.affine()) {
                parameters.put("weight", channels);
                parameters.put("bias", channels);
            }
            Map<String, Shape> buffers = new LinkedHashMap<>();
            buffers.put("running_mean", channels);
            buffers.put("running_var", channels);
            buffers.put("num_batches_tracked", Shape.scalar());
            return new LayerShapes(input, parameters, buffers);
        }

        @Override
        public Layer create(BatchNormConfig config, LayerContext context) {
            Shape input = context.inputShape();
            Shape channels = Shape.of(input.dim(0));
            Tensor gamma = Tensor.zeros(context.dtype(), channels);
            gamma.fill(1);
            Tensor runningVar = Tensor.zeros(context.dtype(), channels);
            runningVar.fill(1);
            return new BatchNormLayer(input, config.momentum(), config.eps(),
                    Parameter.of("weight", Parameter.Role.SCALE, gamma),
                    Parameter.of("bias", Parameter.Role.SHIFT, Tensor.zeros(context.dtype(), channels)), config.affine(),
                    new Buffer("running_mean", Tensor.zeros(context.dtype(), channels)),
                    new Buffer("running_var", runningVar),
                    new Buffer("num_batches_tracked", Tensor.zeros(context.dtype(), Shape.scalar())));
        }
    }

    /** {@code dropout} ({@link DropoutLayer}). */
    public static final class Dropout extends ShapedLayerProvider<DropoutConfig> {
        public Dropout() {
            super("dropout", "Inverted dropout: y = x·m, m = 0 with probability p, else 1/(1 − p); y = x in inference",
                    DropoutConfig.class, new DropoutConfig(0.5), Set.of());
        }

        @Override
        LayerShapes shapesOf(DropoutConfig config, Shape input) {
            return LayerShapes.stateless(input);
        }

        @Override
        public Layer create(DropoutConfig config, LayerContext context) {
            return new DropoutLayer(config.p(), context.inputShape());
        }
    }
}
