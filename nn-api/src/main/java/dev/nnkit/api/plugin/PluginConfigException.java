package dev.nnkit.api.plugin;

/**
 * A plugin's settings are wrong: an unknown key, a missing required key, a value of the wrong
 * type, or one its config record rejects. {@link #key()} names the setting.
 */
public final class PluginConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public PluginConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The offending setting's name, or empty when the record rejected the settings as a whole. */
    public String key() {
        return key;
    }
}
