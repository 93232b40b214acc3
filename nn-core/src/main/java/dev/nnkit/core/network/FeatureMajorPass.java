package dev.nnkit.core.network;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.FeatureMajor;
import dev.nnkit.core.kernel.FeatureMajorLayer;
import java.util.List;

/**
 * Forward and back propagation of one batch size on feature-major buffers ({@link FeatureMajor}),
 * for tiny float32 networks made only of stages that support it. The batch is transposed in, the
 * network's output and ∂L/∂Ŷ are kept row-major for the loss, and the other stages' row-major
 * results are copied out only when someone asks for them (the explainer, a divergence report).
 */
final class FeatureMajorPass {
    private final FeatureMajorLayer[] layers;
    private final int rows;
    private final Tensor input;
    private final Tensor[] outputs;
    private final Tensor[] gradients;
    private final boolean[] outputCopied;
    private final boolean[] gradientCopied;

    private FeatureMajorPass(FeatureMajorLayer[] layers, int inputSize, int[] widths, int rows) {
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
        FeatureMajorLayer[] layers = new FeatureMajorLayer[stages.size()];
        int[] widths = new int[stages.size()];
        for (int i = 0; i < layers.length; i++) {
            if (!(stages.get(i).layer() instanceof FeatureMajorLayer layer) || !layer.runsFeatureMajor(rows)) {
                return null;
            }
            layers[i] = layer;
            widths[i] = stages.get(i).layer().outputShape().size();
        }
        return new FeatureMajorPass(layers, inputSize, widths, rows);
    }

    /** Runs x through every stage; writes the last stage's output row-major into {@code result}. */
    void forward(Tensor x, Tensor result) {
        FeatureMajor.fromRowMajor(x, input);
        Tensor in = input;
        for (int i = 0; i < layers.length; i++) {
            layers[i].forwardFeatureMajor(in, outputs[i]);
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
            layers[i].parameterGradientsFeatureMajor(in, gradients[i], rows);
            if (i > 0) {
                layers[i].inputGradientFeatureMajor(in, outputs[i], gradients[i], gradients[i - 1]);
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
}
