package dev.nnkit.core.plugin;

/**
 * What the registry knows about one discovered plugin. Immutable.
 *
 * @param kind layer, activation, initializer, loss or optimizer
 * @param id the plugin's stable id
 * @param module the JPMS module that provides it, or {@code unnamed} on the class path
 * @param version the module's or jar's version, or {@code unknown}
 * @param source where the provider class was loaded from (a jar or directory), or {@code unknown}
 * @param providerClass the provider's class name, for diagnostics only
 * @param description the provider's one-line description
 */
public record PluginInfo(PluginKind kind, String id, String module, String version, String source,
                         String providerClass, String description) {
}
