package dev.nnkit.api.layer;

import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.tensor.Shape;
import java.util.Optional;

/**
 * Creates a {@link Layer} from its config and the shape it receives. Discovered with
 * {@link java.util.ServiceLoader}; see {@link PluginProvider}.
 *
 * @param <C> the config record
 */
public interface LayerProvider<C extends Record> extends PluginProvider<C, Layer> {

    /**
     * A new layer with initialized parameters, built for {@link LayerContext#inputShape()}.
     *
     * @throws IllegalArgumentException naming the shape received and the shape needed when the
     *     layer cannot take that input
     */
    Layer create(C config, LayerContext context);

    /**
     * The shapes {@link #create} would give the layer's parameters, buffers and output for
     * {@code inputShape}, computed without allocating anything. nnkit uses them to check a
     * {@code model.safetensors} against its {@code model.json}, and a network's size against the
     * heap, before building the network. Empty (the default) when the provider does not say; such
     * a layer is checked after it is built instead. When present, {@link #create} must produce
     * exactly these shapes (nnkit checks it on every build).
     *
     * @throws IllegalArgumentException as {@link #create} would, when the layer cannot take that input
     */
    default Optional<LayerShapes> shapes(C config, Shape inputShape) {
        return Optional.empty();
    }
}
