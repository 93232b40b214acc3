package dev.nnkit.core.network;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.ComputeBackend;
import java.util.List;

/**
 * A fully connected layer: Z = X·Wᵀ + b, W [units × inputs] as in PyTorch's {@code nn.Linear}.
 * Built by the {@code dense} provider; it lives beside the engine because the engine's backend
 * knows it: tiny float32 networks of dense layers and element-wise activations run feature-major
 * ({@link FeatureMajorPass}), a choice the backend makes, not the layer.
 */
public final class DenseLayer implements Layer {
    private final Parameter weight;
    private final Parameter bias; // present but untouched when hasBias is false
    private final boolean hasBias;
    private final List<Parameter> parameters;
    private final Shape outputShape;
    private final ComputeBackend backend = ComputeBackend.get();

    /**
     * A dense layer over {@code weight} [units × inputs] and {@code bias} [units]; without
     * {@code hasBias} the bias tensor is kept (so the kernels take one path) but is no parameter.
     */
    public static DenseLayer of(Parameter weight, Parameter bias, boolean hasBias) {
        return new DenseLayer(weight, bias, hasBias);
    }

    private DenseLayer(Parameter weight, Parameter bias, boolean hasBias) {
        this.weight = weight;
        this.bias = bias;
        this.hasBias = hasBias;
        this.parameters = hasBias ? List.of(weight, bias) : List.of(weight);
        this.outputShape = Shape.of(units());
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    boolean hasBias() {
        return hasBias;
    }

    int inputs() {
        return weight.value().shape().dim(1);
    }

    int units() {
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
        backend.multiplyByTransposed(input, weight.value(), bias.value(), hasBias, output);
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        backend.transposedMultiply(outputGradient, input, weight.gradient(), bias.gradient(), hasBias);
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        backend.multiply(outputGradient, weight.value(), inputGradient);
    }
}
