package dev.nnkit.io.model;

import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;

/**
 * A model uses a plugin (layer, activation, loss, …) that no jar on the class or module path
 * provides: the model is fine, the application lacks the plugin's jar.
 */
public final class ModelNeedsPluginException extends InvalidFileException {
    private static final long serialVersionUID = 1L;
    private final PluginKind kind;
    private final String id;

    public ModelNeedsPluginException(Path file, String place, PluginKind kind, String id, String problem) {
        super(file, place, problem);
        this.kind = kind;
        this.id = id;
    }

    /** What kind of plugin is missing. */
    public PluginKind kind() {
        return kind;
    }

    /** The missing plugin's id, as model.json names it. */
    public String id() {
        return id;
    }
}
