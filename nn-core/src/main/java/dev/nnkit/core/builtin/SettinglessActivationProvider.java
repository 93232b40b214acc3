package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.plugin.NoConfig;
import java.util.function.Supplier;

/** Shared shell of the activation providers that have no settings. */
abstract class SettinglessActivationProvider implements ActivationProvider<NoConfig> {
    private final String id;
    private final String description;
    private final Supplier<Activation> factory;

    SettinglessActivationProvider(String id, String description, Supplier<Activation> factory) {
        this.id = id;
        this.description = description;
        this.factory = factory;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public final NoConfig defaultConfig() {
        return NoConfig.INSTANCE;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Activation create(NoConfig config) {
        return factory.get();
    }
}
