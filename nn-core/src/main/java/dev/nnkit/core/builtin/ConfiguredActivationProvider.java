package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.plugin.BasicPluginProvider;
import java.util.function.Function;

/** Shared shell of the activation providers that have settings: the id, defaults and a factory. */
abstract class ConfiguredActivationProvider<C extends Record> extends BasicPluginProvider<C, Activation>
        implements ActivationProvider<C> {
    private final Function<C, Activation> factory;

    ConfiguredActivationProvider(String id, String description, Class<C> configType, C defaultConfig,
                                 Function<C, Activation> factory) {
        super(id, description, configType, defaultConfig);
        this.factory = factory;
    }

    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public final Activation create(C config) {
        return factory.apply(config);
    }
}
