package dev.nnkit.api.plugin;

import java.util.regex.Pattern;

/** Checks that a plugin id has the form {@link PluginProvider#id()} promises. */
public final class PluginIds {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private PluginIds() {
    }

    /** Whether {@code id} is lowercase letters, digits and single dashes, starting with a letter. */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
