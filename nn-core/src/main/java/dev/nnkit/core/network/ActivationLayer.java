package dev.nnkit.core.network;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * An activation as a network stage: no parameters, output shape = input shape. A row-wise
 * activation (softmax) acts on each sample's row of values, so it needs rank-1 samples.
 */
final class ActivationLayer implements Layer {
    private final Activation activation;
    private final Shape shape;

    ActivationLayer(Activation activation, Shape shape) {
        if (!(activation instanceof ElementwiseActivation) && shape.rank() != 1) {
            throw new IllegalArgumentException("this activation acts on each sample's row of values, so it needs"
                    + " samples of shape [features] (rank 1), not " + shape + ". Put a 'flatten' stage before it.");
        }
        this.activation = activation;
        this.shape = shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        activation.forward(input, output);
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        activation.backward(input, output, outputGradient, inputGradient);
    }

    Activation activation() {
        return activation;
    }
}
