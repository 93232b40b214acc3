package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * One stage of a feed-forward network, mapping a {@code [batch × inputSize]} matrix to a
 * {@code [batch × outputSize]} matrix.
 *
 * <p>Back propagation is split in two so the engine can skip work nobody needs: the first layer
 * never computes {@link #inputGradient}. With δ = ∂L/∂output, a dense layer computes
 * ∂L/∂W = δᵀ·X, ∂L/∂b = Σ_rows δ and ∂L/∂X = δ·W.
 *
 * <p>The engine owns every tensor passed in and reuses them between steps; a layer must not keep
 * references to them. Not thread-safe. No argument is {@code null}.
 */
public interface Layer {

    /** Features per input row. */
    int inputSize();

    /** Features per output row. */
    int outputSize();

    /** The trainable parameters, in a fixed order; empty for a layer without any. */
    List<Parameter> parameters();

    /** Writes the layer's output for a batch of inputs. */
    void forward(Tensor input, Tensor output);

    /**
     * Overwrites the gradient of every parameter, given the batch input and ∂L/∂output. Does
     * nothing for a layer without parameters.
     */
    void parameterGradients(Tensor input, Tensor outputGradient);

    /** Writes ∂L/∂input, given the batch input, the output {@link #forward} wrote and ∂L/∂output. */
    void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient);
}
