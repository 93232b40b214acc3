package dev.nnkit.core.network;

import dev.nnkit.api.tensor.Shape;
import java.util.Map;

/**
 * A network's sizes before it is built: every parameter and buffer by its {@code state_dict} name
 * ({@code 0.weight}, {@code 1.running_mean}) with its shape, and the per-sample shape it outputs.
 * Immutable.
 *
 * @param parameters trainable parameters, stage by stage
 * @param buffers non-trainable buffers, stage by stage
 * @param activations per-sample values each stage outputs, stage by stage (for memory estimates)
 * @param output the per-sample shape of the last stage
 */
public record NetworkPlan(Map<String, Shape> parameters, Map<String, Shape> buffers, long activations, Shape output) {
    public NetworkPlan {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        buffers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buffers));
    }

    /** Number of values of every parameter and buffer together. */
    public long values() {
        long n = 0;
        for (Shape s : parameters.values()) {
            n += s.size();
        }
        for (Shape s : buffers.values()) {
            n += s.size();
        }
        return n;
    }

    /** Number of trainable values. */
    public long parameterValues() {
        long n = 0;
        for (Shape s : parameters.values()) {
            n += s.size();
        }
        return n;
    }
}
