package dev.nnkit.api.plugin;

import java.util.Set;

/**
 * What every plugin provider has in common: a stable id, an immutable config record and its
 * defaults. Each plugin kind extends this with its own {@code create} method
 * ({@code LossProvider}, {@code OptimizerProvider}, …) and is discovered with
 * {@link java.util.ServiceLoader}.
 *
 * <p>Register a provider the way the built-ins do: {@code provides <Kind>Provider with <YourClass>}
 * in {@code module-info.java} and the class name in {@code META-INF/services/<Kind>Provider}, so it
 * works on the module path and on the class path. Providers need a public no-argument constructor
 * and carry no dependency-injection annotations.
 *
 * <p>Config binding: the engine fills the record's components by name from a config file's keys
 * (JSON numbers, strings, booleans, lists; enums by lowercase name), taking each missing key from
 * {@link #defaultConfig()} unless it is one of {@link #requiredKeys()}. The record's compact
 * constructor validates and throws {@link IllegalArgumentException} naming the bad value.
 *
 * <p>Implementations must be stateless and thread-safe; the objects they create need not be.
 *
 * @param <C> the config record; {@link NoConfig} for a plugin without settings
 * @param <T> what the provider creates
 */
public interface PluginProvider<C extends Record, T> {

    /**
     * The version of the plugin interfaces in this nn-api. 2 gave layers shapes, modes, buffers and
     * random streams ({@code Layer}, {@code PassContext}); 1 was everything before.
     */
    int SPI_VERSION = 2;

    /**
     * The version of the plugin interfaces this provider was compiled against. Override it as
     * {@code return SPI_VERSION;}: the compiler copies the constant into your class, so nnkit can
     * tell at discovery that a plugin was built for another version and say so, instead of failing
     * in the middle of training (as SLF4J checks its providers). A provider that does not override
     * it reports 1, the version before layers had shapes and modes: fine for losses, optimizers,
     * activations, initializers and schedules, whose interfaces have not changed since; a layer
     * provider must declare 2.
     */
    default int spiVersion() {
        return 1;
    }

    /**
     * The stable id used in configs, logs and model files: lowercase letters, digits and '-',
     * starting with a letter ({@code adam}, {@code mse}, {@code leaky-relu}). Never changes once
     * published.
     */
    String id();

    /** The record type of this plugin's settings. */
    Class<C> configType();

    /** The settings used for every key a config leaves out; never {@code null}. */
    C defaultConfig();

    /** Config keys that have no sensible default and must be given. Empty by default. */
    default Set<String> requiredKeys() {
        return Set.of();
    }

    /** One line saying what the plugin computes, with its formula. */
    default String description() {
        return "";
    }
}
