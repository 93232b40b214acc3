package dev.nnkit.api.layer;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.tensor.DType;
import java.util.random.RandomGenerator;

/**
 * What the engine tells a {@link LayerProvider} when it builds a layer. Not thread-safe: used
 * during network construction only.
 */
public interface LayerContext {

    /** Features per row of the layer's input (the previous layer's output). */
    int inputSize();

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
