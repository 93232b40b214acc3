package dev.nnkit.io.safetensors;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;

/**
 * What a model expects of one stored tensor. Immutable.
 *
 * @param dtype the element type
 * @param shape the dimensions
 */
public record TensorSpec(DType dtype, Shape shape) {
}
