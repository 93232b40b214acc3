package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.util.function.Supplier;

/** Shared shell of the activation providers that have no settings. */
abstract class SettinglessActivationProvider extends SettinglessProvider<Activation>
        implements ActivationProvider<NoConfig> {
    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

    private final Supplier<Activation> factory;

    SettinglessActivationProvider(String id, String description, Supplier<Activation> factory) {
        super(id, description);
        this.factory = factory;
    }

    @Override
    public final Activation create(NoConfig config) {
        return factory.get();
    }
}
