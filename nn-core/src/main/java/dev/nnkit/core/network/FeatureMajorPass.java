package dev.nnkit.core.network;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.core.kernel.FeatureMajor;
import java.util.List;

/**
 * Forward and back propagation of one batch size on feature-major buffers ({@link FeatureMajor}),
 * for tiny float32 networks made only of stages the backend knows: its own {@link DenseLayer} and
 * element-wise activations. Layers never see this layout: the pass runs those stages' math itself. The batch is transposed in, the
 * network's output and ∂L/∂Ŷ are kept row-major for the loss, and the other stages' row-major
 * results are copied out only when someone asks for them (the explainer, a divergence report).
 */
final class FeatureMajorPass {
    private final Step[] layers;
    private final int rows;
    private final Tensor input;
    private final Tensor[] outputs;
    private final Tensor[] gradients;
    private final boolean[] outputCopied;
    private final boolean[] gradientCopied;

    private FeatureMajorPass(Step[] layers, int inputSize, int[] widths, int rows) {
        this.layers = layers;
        this.rows = rows;
        int stride = FeatureMajor.stride(rows);
        this.input = Tensor.zeros(DType.FLOAT32, Shape.of(inputSize, stride));
        this.outputs = new Tensor[layers.length];
        this.gradients = new Tensor[layers.length];
        for (int i = 0; i < layers.length; i++) {
            outputs[i] = Tensor.zeros(DType.FLOAT32, Shape.of(widths[i], stride));
            gradients[i] = Tensor.zeros(DType.FLOAT32, Shape.of(widths[i], stride));
        }
        this.outputCopied = new boolean[layers.length];
        this.gradientCopied = new boolean[layers.length];
    }

    /** The pass for a batch of {@code rows}, or null when the network must run row-major. */
    static FeatureMajorPass of(int inputSize, DType dtype, List<Stage> stages, int rows) {
        if (dtype != DType.FLOAT32 || !FeatureMajor.available(rows)) {
            return null;
        }
        Step[] layers = new Step[stages.size()];
        int[] widths = new int[stages.size()];
        for (int i = 0; i < layers.length; i++) {
            Step step = step(stages.get(i).layer(), rows);
            if (step == null) {
                return null;
            }
            layers[i] = step;
            widths[i] = stages.get(i).layer().outputShape().size();
        }
        return new FeatureMajorPass(layers, inputSize, widths, rows);
    }

    /** Runs x through every stage; writes the last stage's output row-major into {@code result}. */
    void forward(Tensor x, Tensor result) {
        FeatureMajor.fromRowMajor(x, input);
        Tensor in = input;
        for (int i = 0; i < layers.length; i++) {
            layers[i].forward(in, outputs[i]);
            in = outputs[i];
            outputCopied[i] = false;
        }
        int last = layers.length - 1;
        FeatureMajor.toRowMajor(outputs[last], result);
        outputCopied[last] = true;
    }

    /** Back-propagates the row-major ∂L/∂Ŷ of the last forward call. */
    void backward(Tensor outputGradient) {
        int last = layers.length - 1;
        FeatureMajor.fromRowMajor(outputGradient, gradients[last]);
        for (int i = last; i >= 0; i--) {
            Tensor in = i == 0 ? input : outputs[i - 1];
            layers[i].parameterGradients(in, gradients[i], rows);
            if (i > 0) {
                layers[i].inputGradient(in, outputs[i], gradients[i], gradients[i - 1]);
                gradientCopied[i - 1] = false;
            }
        }
    }

    /** Copies stage {@code index}'s output into {@code rowMajor} unless it is there already. */
    void copyOutput(int index, Tensor rowMajor) {
        if (!outputCopied[index]) {
            FeatureMajor.toRowMajor(outputs[index], rowMajor);
            outputCopied[index] = true;
        }
    }

    /** Copies ∂L/∂(output of stage {@code index}) into {@code rowMajor} unless it is there already. */
    void copyGradient(int index, Tensor rowMajor) {
        if (!gradientCopied[index]) {
            FeatureMajor.toRowMajor(gradients[index], rowMajor);
            gradientCopied[index] = true;
        }
    }

    /** A stage's math on [width × stride] buffers, one row per unit holding the whole batch. */
    private interface Step {
        void forward(Tensor input, Tensor output);

        /** {@code rows} columns of each row are the batch. */
        void parameterGradients(Tensor input, Tensor outputGradient, int rows);

        void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient);
    }

    /** The feature-major form of a stage at this batch size, or null when it has none. */
    private static Step step(Layer layer, int rows) {
        if (layer instanceof DenseLayer d && d.weight().value() instanceof Float32Tensor
                && FeatureMajor.tiny(rows, d.inputs(), d.units())) {
            return new DenseStep(d);
        }
        if (layer instanceof ActivationLayer a && a.activation() instanceof ElementwiseActivation) {
            // An element-wise activation does not care how the batch is laid out.
            return new ActivationStep(a.activation());
        }
        return null;
    }

    /** Z = X·Wᵀ + b with units along rows. */
    private static final class DenseStep implements Step {
        private final DenseLayer dense;

        DenseStep(DenseLayer dense) {
            this.dense = dense;
        }

        @Override
        public void forward(Tensor input, Tensor output) {
            FeatureMajor.forward(input, dense.weight().value(), dense.bias().value(), dense.hasBias(), output);
        }

        @Override
        public void parameterGradients(Tensor input, Tensor outputGradient, int rows) {
            FeatureMajor.weightGradient(outputGradient, input, dense.weight().gradient(), dense.bias().gradient(),
                    dense.hasBias(), rows);
        }

        @Override
        public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) {
            FeatureMajor.inputGradient(outputGradient, dense.weight().value(), inputGradient);
        }
    }

    /** An element-wise activation, unchanged. */
    private static final class ActivationStep implements Step {
        private final Activation activation;

        ActivationStep(Activation activation) {
            this.activation = activation;
        }

        @Override
        public void forward(Tensor input, Tensor output) {
            activation.forward(input, output);
        }

        @Override
        public void parameterGradients(Tensor input, Tensor outputGradient, int rows) {
            // no parameters
        }

        @Override
        public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) {
            activation.backward(input, output, outputGradient, inputGradient);
        }
    }
}
