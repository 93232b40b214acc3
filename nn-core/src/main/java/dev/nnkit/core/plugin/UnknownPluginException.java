package dev.nnkit.core.plugin;

import dev.nnkit.api.plugin.Names;
import java.util.List;

/** A config named a plugin id that no discovered provider has. The message lists the known ids. */
public final class UnknownPluginException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final PluginKind kind;
    private final String id;
    private final List<String> known;

    public UnknownPluginException(PluginKind kind, String id, List<String> known) {
        this(kind, id, known, "");
    }

    /** @param skipped why discovery skipped a provider of this id (built for another nnkit), or "" */
    public UnknownPluginException(PluginKind kind, String id, List<String> known, String skipped) {
        super(skipped.isEmpty() ? message(kind, id, known) : "Unknown " + kind.label() + " '" + id + "': " + skipped);
        this.kind = kind;
        this.id = id;
        this.known = List.copyOf(known);
    }

    private static String message(PluginKind kind, String id, List<String> known) {
        String hint = Names.nearest(id, known).map(n -> " Did you mean '" + n + "'?").orElse("");
        return "Unknown " + kind.label() + " '" + id + "'." + hint + " Known: " + String.join(", ", known)
                + ". A plugin's jar must be on the class or module path to be found.";
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
