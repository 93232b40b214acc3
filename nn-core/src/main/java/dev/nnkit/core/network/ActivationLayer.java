package dev.nnkit.core.network;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.FeatureMajorLayer;
import java.util.List;

/**
 * An activation as a network stage: no parameters, output width = input width. An element-wise
 * activation does not care how the batch is laid out, so it runs feature-major unchanged.
 */
final class ActivationLayer implements Layer, FeatureMajorLayer {
    private final Activation activation;
    private final int width;

    ActivationLayer(Activation activation, int width) {
        this.activation = activation;
        this.width = width;
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public void forward(Tensor input, Tensor output) {
        activation.forward(input, output);
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient) {
        // no parameters
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) {
        activation.backward(input, output, outputGradient, inputGradient);
    }

    @Override
    public boolean runsFeatureMajor(int rows) {
        return activation instanceof ElementwiseActivation;
    }

    @Override
    public void forwardFeatureMajor(Tensor input, Tensor output) {
        forward(input, output);
    }

    @Override
    public void parameterGradientsFeatureMajor(Tensor input, Tensor outputGradient, int rows) {
        // no parameters
    }

    @Override
    public void inputGradientFeatureMajor(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) {
        inputGradient(input, output, outputGradient, inputGradient);
    }
}
