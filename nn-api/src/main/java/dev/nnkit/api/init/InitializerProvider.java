package dev.nnkit.api.init;

import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.plugin.PluginProvider;

/**
 * Creates an {@link Initializer} ({@code glorot-uniform}, {@code he-normal}, …). Discovered with
 * {@link java.util.ServiceLoader}; see {@link PluginProvider}.
 *
 * @param <C> the config record
 */
public interface InitializerProvider<C extends Record> extends ConfiguredProvider<C, Initializer> {

    /** A new initializer with the given settings. */
    Initializer create(C config);
}
