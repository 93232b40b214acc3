package dev.nnkit.api.plugin;

/**
 * A provider whose plugin needs nothing but its settings: activations, initializers, losses,
 * optimizers and schedules. (A layer also needs the shape it receives, so its provider takes a
 * {@code LayerContext} instead.) The engine creates every such plugin the same way: bind the
 * config's keys to {@link #configType()}, then {@link #create}.
 *
 * @param <C> the config record
 * @param <T> what the provider creates
 */
public interface ConfiguredProvider<C extends Record, T> extends PluginProvider<C, T> {

    /** A new plugin with these settings. */
    T create(C config);
}
