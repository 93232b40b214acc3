package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Tensor;
import java.util.Objects;

/**
 * One trainable tensor of a layer and the tensor its gradient is written to.
 *
 * <p>{@code name} is the layer-local name PyTorch uses ({@code weight}, {@code bias}), so that a
 * network's parameters map onto an {@code nn.Sequential} {@code state_dict} as
 * {@code <layer index>.<name>}. The record is immutable; the tensors it holds are not.
 *
 * @param name layer-local name, never {@code null}
 * @param value the parameter, updated in place by the optimizer
 * @param gradient ∂L/∂value, overwritten by each backward pass; same shape and dtype as value
 */
public record Parameter(String name, Tensor value, Tensor gradient) {
    public Parameter {
        Objects.requireNonNull(name, "name");
        if (!value.shape().equals(gradient.shape()) || value.dtype() != gradient.dtype()) {
            throw new IllegalArgumentException("Parameter '" + name + "': gradient " + gradient.dtype().id()
                    + gradient.shape() + " does not match value " + value.dtype().id() + value.shape() + ".");
        }
    }

    /** A parameter holding {@code value} with a zeroed gradient of the same shape. */
    public static Parameter of(String name, Tensor value) {
        return new Parameter(name, value, Tensor.zeros(value.dtype(), value.shape()));
    }
}
