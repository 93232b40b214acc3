package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.plugin.PluginIds;
import dev.nnkit.api.plugin.PluginProvider;

/** Checks every provider must pass, whatever its kind. */
final class ProviderChecks {
    private ProviderChecks() {
    }

    static void wellFormed(PluginProvider<?, ?> p) {
        assertThat(PluginIds.isValid(p.id()))
                .as("id '%s' must be lowercase letters, digits and dashes, starting with a letter", p.id())
                .isTrue();
        assertThat(p.configType()).as("configType()").isNotNull();
        assertThat(p.defaultConfig()).as("defaultConfig()").isNotNull().isInstanceOf(p.configType());
        assertThat(p.configType().getRecordComponents()).as("record components").isNotNull();
        for (String key : p.requiredKeys()) {
            assertThat(java.util.Arrays.stream(p.configType().getRecordComponents()).map(c -> c.getName()))
                    .as("required key '%s' must be a component of %s", key, p.configType().getSimpleName())
                    .contains(key);
        }
    }
}
