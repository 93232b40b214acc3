package dev.nnkit.api.loss;

import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.plugin.PluginProvider;

/**
 * Creates a {@link Loss} from its config. Discovered with {@link java.util.ServiceLoader}; see
 * {@link PluginProvider}.
 *
 * @param <C> the config record
 */
public interface LossProvider<C extends Record> extends ConfiguredProvider<C, Loss> {

    /** A new loss with the given settings. */
    Loss create(C config);
}
