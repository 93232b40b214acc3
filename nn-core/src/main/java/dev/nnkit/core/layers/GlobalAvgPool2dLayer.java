package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * Global average pooling, PyTorch's {@code nn.AdaptiveAvgPool2d(1)}: each channel's mean over all
 * its pixels, [C, H, W] → [C, 1, 1]. Back propagation: ∂L/∂x = δ / (H·W) at every pixel.
 */
final class GlobalAvgPool2dLayer implements Layer {
    private final int pixels;
    private final Shape outputShape;

    GlobalAvgPool2dLayer(Shape input) {
        this.pixels = input.dim(1) * input.dim(2);
        this.outputShape = Shape.of(input.dim(0), 1, 1);
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        for (int plane = 0; plane < output.size(); plane++) {
            double sum = 0;
            for (int p = 0; p < pixels; p++) {
                sum += input.get(plane * pixels + p);
            }
            output.set(plane, sum / pixels);
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        for (int plane = 0; plane < outputGradient.size(); plane++) {
            double share = outputGradient.get(plane) / pixels;
            for (int p = 0; p < pixels; p++) {
                inputGradient.set(plane * pixels + p, share);
            }
        }
    }
}
