package dev.nnkit.api.activation;

import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.plugin.PluginProvider;

/**
 * Creates an {@link Activation} from its config. Discovered with {@link java.util.ServiceLoader};
 * see {@link PluginProvider} for registration and the id rules.
 *
 * @param <C> the config record
 */
public interface ActivationProvider<C extends Record> extends ConfiguredProvider<C, Activation> {

    /** A new activation with the given (already validated) settings. */
    Activation create(C config);
}
