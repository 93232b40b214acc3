package dev.nnkit.api.layer;

import dev.nnkit.api.plugin.PluginProvider;

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
}
