package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginProvider;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks of a provider's settings that every plugin kind shares. */
final class SettingsChecks {
    private SettingsChecks() {
    }

    /** The default config survives record → plain values → record unchanged. */
    static void roundTrips(PluginProvider<?, ?> p) {
        Record defaults = p.defaultConfig();
        Map<String, Object> plain = ConfigBinder.toMap(defaults);
        assertThat(ConfigBinder.bind(p, plain)).as("%s's default config after a round trip through plain values", p.id())
                .isEqualTo(defaults);
    }

    /**
     * NaN and ±∞ for every floating-point setting, plus the author's own bad settings, are each
     * rejected with a message that names the setting.
     */
    static void rejects(PluginProvider<?, ?> p, List<Map<String, Object>> extra) {
        List<Map<String, Object>> probes = new ArrayList<>(extra);
        Map<String, Object> base = ConfigBinder.toMap(p.defaultConfig());
        for (RecordComponent rc : p.configType().getRecordComponents()) {
            if (rc.getType() == double.class || rc.getType() == float.class) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    Map<String, Object> m = new LinkedHashMap<>(base);
                    m.put(rc.getName(), bad);
                    probes.add(m);
                }
            }
        }
        for (Map<String, Object> probe : probes) {
            String key = differingKey(base, probe);
            assertThatThrownBy(() -> ConfigBinder.bind(p, probe))
                    .as("%s must reject %s = %s", p.id(), key, probe.get(key))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(key);
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
