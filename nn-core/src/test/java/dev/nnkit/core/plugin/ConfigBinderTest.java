package dev.nnkit.core.plugin;

import dev.nnkit.api.plugin.PluginConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.core.builtin.DenseLayerProvider;
import dev.nnkit.core.config.DenseConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ConfigBinder")
class ConfigBinderTest {
    /** Every supported component type in one record. */
    public record Everything(double rate, int count, long big, boolean flag, String name, Mode mode, List<Double> steps) {
    }

    public enum Mode { MIN_VALUE, MAX_VALUE }

    static final PluginProvider<Everything, Object> PROVIDER = new PluginProvider<>() {
        @Override
        public String id() {
            return "everything";
        }

        @Override
        public Class<Everything> configType() {
            return Everything.class;
        }

        @Override
        public Everything defaultConfig() {
            return new Everything(0.5, 1, 2, false, "x", Mode.MIN_VALUE, List.of());
        }
    };

    @Test
    @DisplayName("round-trips every supported type through plain values")
    void roundTrip() {
        Map<String, Object> params = Map.of("rate", 0.25, "count", 3, "big", 5_000_000_000L, "flag", true,
                "name", "n", "mode", "max-value", "steps", List.of(1, 2.5));
        Everything e = ConfigBinder.bind(PROVIDER, params);
        assertThat(e).isEqualTo(new Everything(0.25, 3, 5_000_000_000L, true, "n", Mode.MAX_VALUE, List.of(1.0, 2.5)));
        assertThat(ConfigBinder.bind(PROVIDER, ConfigBinder.toMap(e))).isEqualTo(e);
    }

    @Test
    @DisplayName("fills missing keys from the defaults")
    void defaults() {
        assertThat(ConfigBinder.bind(PROVIDER, Map.of("count", 7))).isEqualTo(
                new Everything(0.5, 7, 2, false, "x", Mode.MIN_VALUE, List.of()));
    }

    @Test
    @DisplayName("rejects a fractional count, an unknown enum value, and a missing required key")
    void rejects() {
        assertThatThrownBy(() -> ConfigBinder.bind(PROVIDER, Map.of("count", 1.5)))
                .hasMessage("Setting 'count' of 'everything' must be a whole number; got 1.5.");
        assertThatThrownBy(() -> ConfigBinder.bind(PROVIDER, Map.of("mode", "median")))
                .hasMessage("Setting 'mode' of 'everything' must be one of [min-value, max-value]; got \"median\".");
        assertThatThrownBy(() -> ConfigBinder.bind(new DenseLayerProvider(), Map.of("bias", false)))
                .isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("Missing setting 'units' for 'dense'");
        assertThat(ConfigBinder.bind(new DenseLayerProvider(), Map.of("units", 3)))
                .isEqualTo(DenseConfig.of(3));
    }
}
