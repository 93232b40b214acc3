package dev.nnkit.core.builtin;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.core.kernel.DenseKernels;
import dev.nnkit.core.kernel.FeatureMajor;
import dev.nnkit.core.kernel.FeatureMajorLayer;
import java.util.List;

/**
 * A fully connected layer: Z = X·Wᵀ + b, W [units × inputs] as in PyTorch's {@code nn.Linear}.
 * Tiny float32 layers also run feature-major (see {@link FeatureMajor}).
 */
final class DenseLayer implements Layer, FeatureMajorLayer {
    private final Parameter weight;
    private final Parameter bias; // present but untouched when hasBias is false
    private final boolean hasBias;
    private final List<Parameter> parameters;
    private final Shape outputShape;

    DenseLayer(Parameter weight, Parameter bias, boolean hasBias) {
        this.weight = weight;
        this.bias = bias;
        this.hasBias = hasBias;
        this.parameters = hasBias ? List.of(weight, bias) : List.of(weight);
        this.outputShape = Shape.of(units());
    }

    private int inputs() {
        return weight.value().shape().dim(1);
    }

    private int units() {
        return weight.value().shape().dim(0);
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        DenseKernels.forward(input, weight.value(), bias.value(), hasBias, output);
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        DenseKernels.weightGradient(outputGradient, input, weight.gradient(), bias.gradient(), hasBias);
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        DenseKernels.inputGradient(outputGradient, weight.value(), inputGradient);
    }

    @Override
    public boolean runsFeatureMajor(int rows) {
        return weight.value() instanceof Float32Tensor && FeatureMajor.tiny(rows, inputs(), units());
    }

    @Override
    public void forwardFeatureMajor(Tensor input, Tensor output) {
        FeatureMajor.forward(input, weight.value(), bias.value(), hasBias, output);
    }

    @Override
    public void parameterGradientsFeatureMajor(Tensor input, Tensor outputGradient, int rows) {
        FeatureMajor.weightGradient(outputGradient, input, weight.gradient(), bias.gradient(), hasBias, rows);
    }

    @Override
    public void inputGradientFeatureMajor(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) {
        FeatureMajor.inputGradient(outputGradient, weight.value(), inputGradient);
    }
}
