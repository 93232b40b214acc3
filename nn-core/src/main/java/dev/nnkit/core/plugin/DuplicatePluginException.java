package dev.nnkit.core.plugin;

/**
 * Two providers claim the same id for the same kind, or a layer and an activation claim one id (a
 * network stage names either by id alone); the message names both.
 */
public final class DuplicatePluginException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DuplicatePluginException(PluginInfo first, PluginInfo second) {
        super("Duplicate " + (first.kind() == second.kind() ? first.kind().label()
                : first.kind().label() + " and " + second.kind().label()) + " id '" + first.id() + "': provided by "
                + describe(first) + " and by " + describe(second)
                + ". Remove one of the jars, or give one plugin another id.");
    }

    /** A duplicate found before any provider was created; the message names both sources. */
    DuplicatePluginException(String message) {
        super(message);
    }

    private static String describe(PluginInfo p) {
        return p.providerClass() + " in module " + p.module() + " (" + p.source() + ")";
    }
}
