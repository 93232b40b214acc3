package dev.nnkit.core.plugin;

import dev.nnkit.api.plugin.Names;
import java.util.List;

/** A config named a plugin id that no discovered provider has. The message lists the known ids. */
public final class UnknownPluginException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** Where a plugin's jar goes, for applications and for the nn command. */
    static final String WHERE_PLUGINS_GO = "A plugin's jar must be on the class or module path to be found (for the nn"
            + " command: in its plugins folder or a folder on NN_PLUGIN_PATH).";
    private final PluginKind kind;
    private final String id;
    private final List<String> known;

    public UnknownPluginException(PluginKind kind, String id, List<String> known) {
        this(kind, id, known, "");
    }

    /** @param skipped why discovery skipped a provider of this id (built for another nnkit), or "" */
    public UnknownPluginException(PluginKind kind, String id, List<String> known, String skipped) {
        this(kind, id, known, skipped.isEmpty() ? message(kind, id, known)
                : "Unknown " + kind.label() + " '" + id + "': " + skipped, true);
    }

    private UnknownPluginException(PluginKind kind, String id, List<String> known, String message, boolean whole) {
        super(message);
        this.kind = kind;
        this.id = id;
        this.known = List.copyOf(known);
    }

    /**
     * A network stage whose type is neither a known layer nor a known activation: the nearest id of
     * either, and both lists.
     */
    static UnknownPluginException stage(String id, List<String> layers, List<String> activations) {
        List<String> known = new java.util.ArrayList<>(layers);
        known.addAll(activations);
        String hint = Names.nearest(id, known).map(n -> " Did you mean '" + n + "'?").orElse("");
        return new UnknownPluginException(PluginKind.LAYER, id, known, "Unknown layer or activation '" + id + "'." + hint
                + " Layers: " + String.join(", ", layers) + ". Activations: " + String.join(", ", activations)
                + ". " + WHERE_PLUGINS_GO, true);
    }

    private static String message(PluginKind kind, String id, List<String> known) {
        if (known.isEmpty()) { // no provider of this kind at all: the built-ins' jar is missing
            return "Unknown " + kind.label() + " '" + id + "': no " + kind.label() + " plugins were found at all. "
                    + builtIns(kind) + WHERE_PLUGINS_GO;
        }
        String hint = Names.nearest(id, known).map(n -> " Did you mean '" + n + "'?").orElse("");
        return "Unknown " + kind.label() + " '" + id + "'." + hint + " Known: " + String.join(", ", known)
                + ". " + WHERE_PLUGINS_GO;
    }

    /** Where the built-in plugins of a kind live, when they are not in nn-core (always present). */
    private static String builtIns(PluginKind kind) {
        return switch (kind) {
            case LOSS -> "The built-in losses are in dev.nnkit:nn-losses: add it to the application. ";
            case OPTIMIZER, SCHEDULE -> "The built-in optimizers and schedules are in dev.nnkit:nn-optimizers: add it to the"
                    + " application. ";
            default -> "";
        };
    }

    public PluginKind kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    public List<String> known() {
        return known;
    }
}
