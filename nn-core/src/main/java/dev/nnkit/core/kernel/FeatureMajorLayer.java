package dev.nnkit.core.kernel;

import dev.nnkit.api.tensor.Tensor;

/**
 * A network stage that can also run on feature-major buffers ({@link FeatureMajor}): tensors of
 * shape [width × stride], one row per unit holding the whole batch. The built-in dense layer and
 * the stages of element-wise activations implement it; any other stage (a plugin layer, softmax)
 * keeps the network on the row-major path. Internal to nn-core.
 */
public interface FeatureMajorLayer {

    /** Whether this stage runs a batch of {@code rows} feature-major. */
    boolean runsFeatureMajor(int rows);

    /** As {@code Layer.forward}, feature-major. */
    void forwardFeatureMajor(Tensor input, Tensor output);

    /** As {@code Layer.parameterGradients}, feature-major; {@code rows} columns of each row are the batch. */
    void parameterGradientsFeatureMajor(Tensor input, Tensor outputGradient, int rows);

    /** As {@code Layer.inputGradient}, feature-major. */
    void inputGradientFeatureMajor(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient);
}
