package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * One stage of a feed-forward network. It is built for the per-sample shape it receives
 * ({@link LayerContext#inputShape()}, e.g. {@code [features]} or {@code [C, H, W]}) and declares
 * the per-sample shape it gives ({@link #outputShape()}); batches are {@code [batch, ...shape]},
 * batch first as in PyTorch.
 *
 * <p>Back propagation is split in two so the engine can skip work nobody needs: the first layer
 * never computes {@link #inputGradient}. With δ = ∂L/∂output, a dense layer computes
 * ∂L/∂W = δᵀ·X, ∂L/∂b = Σ_rows δ and ∂L/∂X = δ·W.
 *
 * <p>Every call gets a {@link PassContext}: the mode (training or inference), the stage's own
 * random stream and scratch that lives from forward to backward. A layer keeps no per-batch state
 * in its own fields: in {@link Mode#INFERENCE} the engine may call {@link #forward} from many
 * threads at once, each with its own context and tensors, so forward must then read nothing but
 * its arguments, parameters and buffers and write nothing but its output. Training calls come
 * from one thread. The engine owns every tensor passed in and reuses them between steps; a layer
 * must not keep references to them. No argument is {@code null}.
 */
public interface Layer {

    /** The per-sample shape of the output. */
    Shape outputShape();

    /** The trainable parameters, in a fixed order; empty (the default) for a layer without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** The non-trainable buffers, in a fixed order; empty (the default) for a layer without any. */
    default List<Buffer> buffers() {
        return List.of();
    }

    /** Writes the layer's output {@code [batch, ...outputShape]} for a batch of inputs. */
    void forward(Tensor input, Tensor output, PassContext context);

    /**
     * Overwrites the gradient of every parameter, given the batch input and ∂L/∂output, after a
     * training-mode {@link #forward} of the same batch. The default does nothing, for a layer
     * without parameters.
     */
    default void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
    }

    /**
     * Writes ∂L/∂input, given the batch input, the output {@link #forward} wrote and ∂L/∂output,
     * after a training-mode forward of the same batch.
     */
    void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient, PassContext context);
}
