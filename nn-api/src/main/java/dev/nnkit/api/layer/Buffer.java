package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Tensor;
import java.util.Objects;

/**
 * A layer's non-trainable state that persists across steps, such as batch norm's running mean
 * (PyTorch's {@code register_buffer}). Saved in {@code model.safetensors} and in checkpoints as
 * {@code <stage index>.<name>}, beside the parameters, and never seen by an optimizer. A layer
 * changes its buffers only in {@link Mode#TRAINING}.
 *
 * <p>The record is immutable; the tensor it holds is not.
 *
 * @param name layer-local name PyTorch uses ({@code running_mean}), never {@code null}
 * @param value the buffer's values
 */
public record Buffer(String name, Tensor value) {
    public Buffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
