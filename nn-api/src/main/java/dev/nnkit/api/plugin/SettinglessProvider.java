package dev.nnkit.api.plugin;

/**
 * A convenience base for providers of plugins without settings, leaving only the kind's
 * {@code create} method:
 * {@code class MyLossProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig>}.
 * Immutable and thread-safe.
 *
 * @param <T> what the provider creates
 */
public abstract class SettinglessProvider<T> extends BasicPluginProvider<NoConfig, T> {

    /**
     * @param id the plugin's stable id (see {@link PluginProvider#id()})
     * @param description one line with the formula
     */
    protected SettinglessProvider(String id, String description) {
        super(id, description, NoConfig.class, NoConfig.INSTANCE);
    }
}
