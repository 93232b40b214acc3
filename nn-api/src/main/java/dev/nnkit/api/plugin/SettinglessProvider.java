package dev.nnkit.api.plugin;

/**
 * A convenience base for providers of plugins without settings: it answers {@link #id()},
 * {@link #description()}, {@link #configType()} and {@link #defaultConfig()}, leaving only the
 * kind's {@code create} method. Use it as
 * {@code class MyLossProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig>}.
 * Immutable and thread-safe.
 *
 * @param <T> what the provider creates
 */
public abstract class SettinglessProvider<T> implements PluginProvider<NoConfig, T> {
    private final String id;
    private final String description;

    /**
     * @param id the plugin's stable id (see {@link PluginProvider#id()})
     * @param description one line with the formula
     */
    protected SettinglessProvider(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public final NoConfig defaultConfig() {
        return NoConfig.INSTANCE;
    }
}
