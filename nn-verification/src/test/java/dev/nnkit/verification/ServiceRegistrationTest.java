package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Built-in plugins are registered twice, for the module path ({@code provides} in
 * module-info.java) and the class path (META-INF/services); the two lists must agree, module by
 * module and service by service.
 */
@DisplayName("Service registration")
class ServiceRegistrationTest {

    @Test
    @DisplayName("module-info provides exactly what META-INF/services lists, in every module")
    void providesMatchServiceFiles() throws IOException {
        Set<ModuleReference> modules = ModuleFinder.of(ModulePaths.nnkitModules().toArray(java.nio.file.Path[]::new)).findAll();
        assertThat(modules.stream().map(m -> m.descriptor().name()))
                .contains("dev.nnkit.api", "dev.nnkit.core", "dev.nnkit.losses", "dev.nnkit.optimizers", "dev.nnkit.io",
                        "dev.nnkit.cli", "dev.nnkit.tck");
        int checked = 0;
        for (ModuleReference ref : modules) {
            try (ModuleReader reader = ref.open()) {
                Set<String> services = new TreeSet<>();
                ref.descriptor().provides().forEach(p -> services.add(p.service()));
                reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                        .forEach(n -> services.add(n.substring("META-INF/services/".length())));
                for (String service : services) {
                    Set<String> declared = ref.descriptor().provides().stream()
                            .filter(p -> p.service().equals(service))
                            .flatMap(p -> p.providers().stream()).collect(Collectors.toCollection(TreeSet::new));
                    // Both use binary names (Outer$Nested).
                    Set<String> listed = new TreeSet<>(serviceFile(reader, service));
                    assertThat(listed).as("%s: META-INF/services/%s vs provides in module-info",
                            ref.descriptor().name(), service).isEqualTo(declared);
                    checked++;
                }
            }
        }
        assertThat(checked).as("services checked").isGreaterThanOrEqualTo(5);
    }

    /** Provider names in a services file, comments and blanks dropped. */
    private static List<String> serviceFile(ModuleReader reader, String service) throws IOException {
        Optional<InputStream> in = reader.open("META-INF/services/" + service);
        if (in.isEmpty()) {
            return List.of();
        }
        try (InputStream s = in.get()) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
        }
    }

    @Test
    @DisplayName("provider classes live in packages the module does not export")
    void providersAreNotExported() {
        for (ModuleReference ref : ModuleFinder.of(ModulePaths.nnkitModules().toArray(java.nio.file.Path[]::new)).findAll()) {
            ModuleDescriptor d = ref.descriptor();
            Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
            for (ModuleDescriptor.Provides p : d.provides()) {
                for (String provider : p.providers()) {
                    String pkg = provider.substring(0, provider.lastIndexOf('.'));
                    // nested provider classes: strip the enclosing class
                    while (!d.packages().contains(pkg) && pkg.contains(".")) {
                        pkg = pkg.substring(0, pkg.lastIndexOf('.'));
                    }
                    assertThat(exported).as("%s exports the package of provider %s", d.name(), provider).doesNotContain(pkg);
                }
            }
        }
    }
}
