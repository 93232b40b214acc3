package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * Inverted dropout, PyTorch's {@code nn.Dropout}: in training y = x · m with m = 0 (probability p)
 * or 1/(1 − p), so the expected output equals the input and inference passes x unchanged. The
 * mask comes from the pass's row-addressed draws ({@link PassContext#uniform}), keyed from the
 * stage's own random stream, which checkpoints save: a resumed run draws the masks an uninterrupted
 * one would, and a batch split over machines draws for each row what one machine would. Back
 * propagation: ∂L/∂x = δ · m.
 */
final class DropoutLayer implements Layer {
    private final double p;
    private final Shape shape;

    DropoutLayer(double p, Shape shape) {
        this.p = p;
        this.shape = shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        if (context.mode() == Mode.INFERENCE) {
            output.copyFrom(input.reshape(output.shape()));
            return;
        }
        Tensor mask = context.scratch("mask", output.shape());
        double kept = p == 1 ? 0 : 1 / (1 - p);
        int perRow = shape.size();
        int rows = output.shape().dim(0);
        for (int r = 0, i = 0; r < rows; r++) {
            for (int j = 0; j < perRow; j++, i++) {
                // No draws at p = 0, as PyTorch's training-mode dropout draws none then either.
                double m = p == 0 || context.uniform(r, j) >= p ? kept : 0;
                mask.set(i, m);
                output.set(i, input.get(i) * m);
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        Tensor mask = context.scratch("mask", output.shape());
        for (int i = 0; i < mask.size(); i++) {
            inputGradient.set(i, outputGradient.get(i) * mask.get(i));
        }
    }
}
