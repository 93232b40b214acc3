package dev.nnkit.core.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin named by id with its settings as plain values (numbers, strings, booleans, lists), as
 * a config file holds them: {@code {"type": "adam", "learningRate": 0.01}}. Immutable.
 *
 * @param type the plugin id
 * @param params settings by record-component name; missing ones take the plugin's defaults
 */
public record PluginSpec(String type, Map<String, Object> params) {
    public PluginSpec {
        Objects.requireNonNull(type, "type");
        params = Map.copyOf(params);
    }

    /** A spec with default settings. */
    public static PluginSpec of(String type) {
        return new PluginSpec(type, Map.of());
    }

    /** A spec with settings given as alternating keys and values. */
    public static PluginSpec of(String type, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Settings come in key, value pairs; got " + keysAndValues.length + " items.");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new PluginSpec(type, m);
    }
}
