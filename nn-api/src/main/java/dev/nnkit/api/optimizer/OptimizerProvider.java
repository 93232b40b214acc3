package dev.nnkit.api.optimizer;

import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.plugin.PluginProvider;

/**
 * Creates an {@link Optimizer} from its config. Discovered with {@link java.util.ServiceLoader};
 * see {@link PluginProvider}.
 *
 * @param <C> the config record
 */
public interface OptimizerProvider<C extends Record> extends ConfiguredProvider<C, Optimizer> {

    /** A new optimizer with the given settings. */
    Optimizer create(C config);
}
