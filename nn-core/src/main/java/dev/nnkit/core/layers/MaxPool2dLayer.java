package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d}: each output is the largest input in its window of
 * its channel (padding counts as −∞; a NaN wins, as in PyTorch). Training remembers which input
 * won (the first of equal values), and back propagation hands each output's δ to that input alone:
 * ∂L/∂x = Σ over the windows x won of δ.
 */
final class MaxPool2dLayer implements Layer {
    private final Window2d window;
    private final Shape outputShape;

    MaxPool2dLayer(Window2d window, int channels) {
        this.window = window;
        this.outputShape = Shape.of(channels, window.outH(), window.outW());
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        Window2d w = window;
        int planes = output.size() / w.outPixels(); // batch · channels
        int[] winners = context.intScratch("argmax", output.size());
        for (int plane = 0; plane < planes; plane++) {
            int in0 = plane * w.inPixels();
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    for (int ky = 0; ky < w.kernelH(); ky++) {
                        int y = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                        if (y < 0 || y >= w.inH()) {
                            continue;
                        }
                        for (int kx = 0; kx < w.kernelW(); kx++) {
                            int x = ox * w.strideW() - w.padLeft() + kx * w.dilationW();
                            if (x < 0 || x >= w.inW()) {
                                continue;
                            }
                            double v = input.get(in0 + y * w.inW() + x);
                            if (bestAt < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                                best = v;
                                bestAt = in0 + y * w.inW() + x;
                            }
                        }
                    }
                    int at = (plane * w.outH() + oy) * w.outW() + ox;
                    output.set(at, best);
                    winners[at] = bestAt;
                }
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        int[] winners = context.intScratch("argmax", output.size());
        inputGradient.fill(0);
        for (int i = 0; i < winners.length; i++) {
            inputGradient.set(winners[i], inputGradient.get(winners[i]) + outputGradient.get(i));
        }
    }
}
