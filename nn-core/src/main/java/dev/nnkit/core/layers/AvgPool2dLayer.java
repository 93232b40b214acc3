package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * Average pooling, PyTorch's {@code nn.AvgPool2d}: each output is the mean of its window of its
 * channel, dividing by the whole window (padding zeros included) or, without
 * {@code countIncludePad}, by the inputs inside the image. Back propagation spreads each δ evenly:
 * ∂L/∂x = Σ over the windows holding x of δ / divisor.
 */
final class AvgPool2dLayer implements Layer {
    private final Window2d window;
    private final boolean countIncludePad;
    private final Shape outputShape;

    AvgPool2dLayer(Window2d window, int channels, boolean countIncludePad) {
        this.window = window;
        this.countIncludePad = countIncludePad;
        this.outputShape = Shape.of(channels, window.outH(), window.outW());
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        visit(input, output, false);
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        inputGradient.fill(0);
        visit(inputGradient, outputGradient, true);
    }

    /** Forward: output = window means of images. Backward: images += output / divisor over each window. */
    private void visit(Tensor images, Tensor output, boolean backward) {
        Window2d w = window;
        int planes = output.size() / w.outPixels();
        for (int plane = 0; plane < planes; plane++) {
            int in0 = plane * w.inPixels();
            for (int oy = 0; oy < w.outH(); oy++) {
                int y0 = oy * w.strideH() - w.padTop();
                int yFrom = Math.max(0, y0);
                int yTo = Math.min(w.inH(), y0 + w.kernelH());
                for (int ox = 0; ox < w.outW(); ox++) {
                    int x0 = ox * w.strideW() - w.padLeft();
                    int xFrom = Math.max(0, x0);
                    int xTo = Math.min(w.inW(), x0 + w.kernelW());
                    int divisor = countIncludePad ? w.taps() : (yTo - yFrom) * (xTo - xFrom);
                    int at = (plane * w.outH() + oy) * w.outW() + ox;
                    if (backward) {
                        double share = output.get(at) / divisor;
                        for (int y = yFrom; y < yTo; y++) {
                            for (int x = xFrom; x < xTo; x++) {
                                int i = in0 + y * w.inW() + x;
                                images.set(i, images.get(i) + share);
                            }
                        }
                    } else {
                        double sum = 0;
                        for (int y = yFrom; y < yTo; y++) {
                            for (int x = xFrom; x < xTo; x++) {
                                sum += images.get(in0 + y * w.inW() + x);
                            }
                        }
                        output.set(at, sum / divisor);
                    }
                }
            }
        }
    }
}
