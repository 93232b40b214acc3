package dev.nnkit.spark;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * A test layer that passes its input through and keeps, in a buffer, the mean of the rows it saw
 * in its last training pass, without {@code PassContext.sumOverBatch}: on a split batch each
 * partition keeps its own rows' mean, which synchronous training must refuse (BadInputTest).
 */
public final class PartMeanProvider extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
    public PartMeanProvider() {
        super("part-mean", "y = x; training: mean ← the batch's mean of x");
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Layer create(NoConfig config, LayerContext context) {
        Shape shape = context.inputShape();
        Buffer mean = new Buffer("mean", Tensor.zeros(context.dtype(), shape));
        return new Layer() {
            @Override
            public Shape outputShape() {
                return shape;
            }

            @Override
            public List<Buffer> buffers() {
                return List.of(mean);
            }

            @Override
            public void forward(Tensor input, Tensor output, PassContext pass) {
                output.copyFrom(input);
                if (pass.mode() == Mode.TRAINING) {
                    int rows = input.shape().dim(0);
                    int cols = shape.size();
                    for (int c = 0; c < cols; c++) {
                        double s = 0;
                        for (int r = 0; r < rows; r++) {
                            s += input.get(r * cols + c);
                        }
                        mean.value().set(c, s / rows);
                    }
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
