package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginProvider;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks of a provider's settings that every plugin kind shares. */
final class SettingsChecks {
    /**
     * Out-of-range values probed for settings with these well-known names, whatever the plugin: a
     * negative learning rate trains uphill without an error, a β of 1 never forgets.
     */
    static final Map<String, double[]> WELL_KNOWN_RANGES = Map.of(
            "learningRate", new double[] {-0.1},
            "lr", new double[] {-0.1},
            "weightDecay", new double[] {-0.01},
            "momentum", new double[] {-0.1},
            "beta1", new double[] {-0.1, 1.0},
            "beta2", new double[] {-0.1, 1.0},
            "epsilon", new double[] {-1e-8},
            "eps", new double[] {-1e-8});

    private SettingsChecks() {
    }

    /** The default config survives record → plain values → record unchanged. */
    static void roundTrips(PluginProvider<?, ?> p) {
        Record defaults = p.defaultConfig();
        Map<String, Object> plain = ConfigBinder.toMap(defaults);
        assertThat(ConfigBinder.bind(p, plain))
                .as("%s's default config after a round trip through plain values %s: the record's constructor must"
                        + " keep the values it is given (a conversion belongs where the value is used)", p.id(), plain)
                .isEqualTo(defaults);
    }

    /**
     * NaN and ±∞ for every floating-point setting, the out-of-range values of {@link #WELL_KNOWN_RANGES},
     * and the author's own bad settings are each rejected with a message that names the setting.
     */
    static void rejects(PluginProvider<?, ?> p, List<Map<String, Object>> extra) {
        Map<String, Object> base = ConfigBinder.toMap(p.defaultConfig());
        List<Map<String, Object>> probes = new ArrayList<>(extra);
        for (RecordComponent rc : p.configType().getRecordComponents()) {
            if (rc.getType() != double.class && rc.getType() != float.class) {
                continue;
            }
            List<Double> bad = new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
            for (double v : WELL_KNOWN_RANGES.getOrDefault(rc.getName(), new double[0])) {
                bad.add(v);
            }
            for (double v : bad) {
                if (Double.valueOf(v).equals(((Number) base.get(rc.getName())).doubleValue())) {
                    continue; // the default itself (∞ meaning "no limit"): not a bad value for this plugin
                }
                Map<String, Object> m = new LinkedHashMap<>(base);
                m.put(rc.getName(), v);
                probes.add(m);
            }
        }
        for (Map<String, Object> probe : probes) {
            String key = differingKey(base, probe);
            Object value = probe.get(key);
            try {
                ConfigBinder.bind(p, probe);
            } catch (IllegalArgumentException e) {
                // The record's own words, not the binder's wrapper, which names the plugin's id.
                String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                if (!message.contains(key)) {
                    throw new AssertionError(p.id() + " rejected " + key + " = " + value + " with a message that does not"
                            + " name the setting: \"" + message + "\". Name it, the value and the allowed range, e.g. \""
                            + key + " must be finite and > 0; got " + value + ".\"", e);
                }
                continue;
            }
            throw new AssertionError(p.id() + " accepted " + key + " = " + value + " (settings " + probe + "). The"
                    + " settings record's constructor must throw an IllegalArgumentException naming '" + key + "', the"
                    + " value and the allowed range, e.g. \"" + key + " must be finite and > 0; got " + value + ".\"" + (extra.contains(probe) ? ""
                    : " (The kit probes NaN and ±∞ for every floating-point setting, and out-of-range values for the"
                    + " well-known names " + String.join(", ", new java.util.TreeSet<>(WELL_KNOWN_RANGES.keySet()))
                    + ".)"));
        }
    }

    private static String differingKey(Map<String, Object> base, Map<String, Object> probe) {
        for (Map.Entry<String, Object> e : probe.entrySet()) {
            if (!e.getValue().equals(base.get(e.getKey()))) {
                return e.getKey();
            }
        }
        return "";
    }
}
