package dev.nnkit.api.layer;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import java.util.random.RandomGenerator;

/**
 * What the engine tells a {@link LayerProvider} when it builds a layer. Not thread-safe: used
 * during network construction only.
 */
public interface LayerContext {

    /** The per-sample shape the layer receives (the previous stage's output shape). */
    Shape inputShape();

    /** Elements per input sample: the product of {@link #inputShape()}'s dimensions. */
    default int inputSize() {
        return inputShape().size();
    }

    /** Element type of the network's tensors. */
    DType dtype();

    /** The seeded random stream this layer may draw its initial values from. */
    RandomGenerator random();

    /**
     * The initializer registered under {@code id}, with default settings.
     *
     * @throws IllegalArgumentException listing the known ids when none has this id
     */
    Initializer initializer(String id);
}
