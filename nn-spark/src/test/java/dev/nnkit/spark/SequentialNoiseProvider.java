package dev.nnkit.spark;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * A test layer that adds noise drawn in sequence from its stage's stream ({@code random()}): fine
 * in local training, refused when synchronous training splits a batch (BadInputTest).
 */
public final class SequentialNoiseProvider extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
    public SequentialNoiseProvider() {
        super("sequential-noise", "training: x + u, u drawn in sequence; inference: x");
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Layer create(NoConfig config, LayerContext context) {
        Shape shape = context.inputShape();
        return new Layer() {
            @Override
            public Shape outputShape() {
                return shape;
            }

            @Override
            public void forward(Tensor input, Tensor output, PassContext pass) {
                boolean training = pass.mode() == Mode.TRAINING;
                for (int i = 0; i < input.size(); i++) {
                    output.set(i, input.get(i) + (training ? pass.random().nextDouble() * 1e-3 : 0));
                }
            }

            @Override
            public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                                      PassContext pass) {
                inputGradient.copyFrom(outputGradient);
            }
        };
    }
}
