package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Shape;
import java.util.Map;

/**
 * What a layer would hold, said before it is built: the shape of each parameter and buffer by
 * name (as {@link Parameter#name()} and {@link Buffer#name()} will give them) and the shape of the
 * samples it passes on. It lets nnkit check a weights file against a model description, and a
 * network against the memory there is, without allocating anything. Immutable; the maps are
 * copied, keep their order and are never {@code null}.
 *
 * @param output the per-sample shape the layer produces
 * @param parameters trainable parameters, in the order the layer lists them
 * @param buffers non-trainable buffers, in the order the layer lists them
 */
public record LayerShapes(Shape output, Map<String, Shape> parameters, Map<String, Shape> buffers) {
    public LayerShapes {
        java.util.Objects.requireNonNull(output, "output");
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        buffers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buffers));
    }

    /** A layer without parameters or buffers that produces {@code output}. */
    public static LayerShapes stateless(Shape output) {
        return new LayerShapes(output, Map.of(), Map.of());
    }
}
