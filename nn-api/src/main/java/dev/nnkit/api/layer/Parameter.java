package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Tensor;
import java.util.Objects;

/**
 * One trainable tensor of a layer, the tensor its gradient is written to, and its role.
 *
 * <p>{@code name} is the layer-local name PyTorch uses ({@code weight}, {@code bias}), so that a
 * network's parameters map onto an {@code nn.Sequential} {@code state_dict} as
 * {@code <layer index>.<name>}. The {@link Role} tells the engine what the tensor does, so L1 and
 * L2 penalties choose what to penalize by role, not by name. The record is immutable; the
 * tensors it holds are not.
 *
 * @param name layer-local name, never {@code null}
 * @param role what the tensor does, never {@code null}
 * @param value the parameter, updated in place by the optimizer
 * @param gradient ∂L/∂value, overwritten by each backward pass; same shape and dtype as value
 */
public record Parameter(String name, Role role, Tensor value, Tensor gradient) {

    /** What a parameter does in its layer. */
    public enum Role {
        /** Multiplies the input: a dense or convolution kernel. Penalized by L1/L2. */
        WEIGHT,
        /** Added to the output. Not penalized. */
        BIAS,
        /** A per-feature factor, such as batch norm's γ. Not penalized. */
        SCALE,
        /** A per-feature offset, such as batch norm's β. Not penalized. */
        SHIFT
    }

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (!value.shape().equals(gradient.shape()) || value.dtype() != gradient.dtype()) {
            throw new IllegalArgumentException("Parameter '" + name + "': gradient " + gradient.dtype().id()
                    + gradient.shape() + " does not match value " + value.dtype().id() + value.shape() + ".");
        }
    }

    /** A parameter holding {@code value} with a zeroed gradient of the same shape. */
    public static Parameter of(String name, Role role, Tensor value) {
        return new Parameter(name, role, value, Tensor.zeros(value.dtype(), value.shape()));
    }
}
