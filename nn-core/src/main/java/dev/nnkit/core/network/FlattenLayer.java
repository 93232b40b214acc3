package dev.nnkit.core.network;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * Flatten: samples of any shape ([C, H, W]) become rows of their values in row-major order
 * ([C·H·W]), as PyTorch's {@code nn.Flatten()}. The engine makes this stage's output a view of its
 * input and its input gradient a view of its output gradient, so nothing is copied; called on
 * separate tensors (the first stage, a test), it copies.
 */
public final class FlattenLayer implements Layer {
    private final Shape outputShape;

    /** A flatten stage for samples of {@code inputShape}. */
    public static FlattenLayer of(Shape inputShape) {
        return new FlattenLayer(Shape.of(inputShape.size()));
    }

    private FlattenLayer(Shape outputShape) {
        this.outputShape = outputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        copyUnlessShared(input, output);
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        copyUnlessShared(outputGradient, inputGradient);
    }

    private static void copyUnlessShared(Tensor from, Tensor to) {
        if (from instanceof Float32Tensor a && to instanceof Float32Tensor b) {
            if (a.data() != b.data()) {
                System.arraycopy(a.data(), 0, b.data(), 0, a.size());
            }
        } else if (from instanceof Float64Tensor a && to instanceof Float64Tensor b) {
            if (a.data() != b.data()) {
                System.arraycopy(a.data(), 0, b.data(), 0, a.size());
            }
        } else {
            to.reshape(from.shape()).copyFrom(from);
        }
    }
}
