package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The JPMS descriptors are real: the built modules resolve as named modules in a fresh module
 * layer, and ServiceLoader there finds every built-in plugin through {@code provides}.
 */
@DisplayName("Module layer")
class ModuleLayerTest {

    @Test
    @DisplayName("resolves the published modules and discovers the built-in plugins by module")
    void discoversPluginsOnTheModulePath() throws Exception {
        List<Path> paths = ModulePaths.cliModulePath();
        ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(),
                Set.of("dev.nnkit.cli"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

        Class<?> registry = layer.findLoader("dev.nnkit.core").loadClass("dev.nnkit.core.plugin.PluginRegistry");
        assertThat(registry.getModule().isNamed()).isTrue();
        Object r = registry.getMethod("discover", ModuleLayer.class).invoke(null, layer);
        List<?> plugins = (List<?>) registry.getMethod("plugins").invoke(r);
        List<String> found = new ArrayList<>();
        for (Object info : plugins) {
            Method id = info.getClass().getMethod("id");
            Method module = info.getClass().getMethod("module");
            found.add(module.invoke(info) + "/" + id.invoke(info));
        }
        assertThat(found).contains("dev.nnkit.core/dense", "dev.nnkit.core/sigmoid", "dev.nnkit.core/softmax",
                "dev.nnkit.core/he-normal", "dev.nnkit.losses/mse", "dev.nnkit.losses/categorical-cross-entropy-logits",
                "dev.nnkit.optimizers/adam", "dev.nnkit.optimizers/sgd");
        assertThat((List<?>) registry.getMethod("problems").invoke(r)).isEmpty();
    }
}
