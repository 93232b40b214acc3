package dev.nnkit.api.plugin;

import java.util.Set;

/**
 * A convenience base that answers everything {@link PluginProvider} asks from constructor
 * arguments, leaving only the kind's {@code create} method:
 * {@code class LionProvider extends BasicPluginProvider<LionConfig, Optimizer> implements OptimizerProvider<LionConfig>}.
 * Immutable and thread-safe.
 *
 * @param <C> the config record
 * @param <T> what the provider creates
 */
public abstract class BasicPluginProvider<C extends Record, T> implements PluginProvider<C, T> {
    private final String id;
    private final String description;
    private final Class<C> configType;
    private final C defaultConfig;
    private final Set<String> requiredKeys;

    /**
     * @param id the stable id (see {@link PluginProvider#id()})
     * @param description one line with the formula
     * @param configType the settings record
     * @param defaultConfig the defaults; placeholders for {@code requiredKeys}
     * @param requiredKeys settings a config must give
     */
    protected BasicPluginProvider(String id, String description, Class<C> configType, C defaultConfig,
                                  Set<String> requiredKeys) {
        this.id = id;
        this.description = description;
        this.configType = configType;
        this.defaultConfig = defaultConfig;
        this.requiredKeys = Set.copyOf(requiredKeys);
    }

    /** A provider whose every setting has a default. */
    protected BasicPluginProvider(String id, String description, Class<C> configType, C defaultConfig) {
        this(id, description, configType, defaultConfig, Set.of());
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
    public final Class<C> configType() {
        return configType;
    }

    @Override
    public final C defaultConfig() {
        return defaultConfig;
    }

    @Override
    public final Set<String> requiredKeys() {
        return requiredKeys;
    }
}
