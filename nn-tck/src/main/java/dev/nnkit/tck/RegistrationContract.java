package dev.nnkit.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.api.plugin.PluginProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a plugin jar's registration: nnkit finds plugins with {@link ServiceLoader},
 * which reads {@code META-INF/services} files on a class path (as the {@code nn} command runs) and
 * {@code provides} clauses on a module path (as a modular application runs), and a plugin missing
 * from either is silently not there. Extend it once per plugin module, listing every provider:
 * <pre>
 * class RegistrationTest extends RegistrationContract {
 *     protected List&lt;PluginProvider&lt;?, ?&gt;&gt; providers() {
 *         return List.of(new FocalLossProvider(), new LionOptimizerProvider());
 *     }
 * }
 * </pre>
 * Each provider is discovered for real, in a fresh class loader and a fresh module layer over the
 * paths of the test run, from the jar or classes directory it was loaded from.
 */
public abstract class RegistrationContract {

    /** Every provider of the plugin module under test. */
    protected abstract List<PluginProvider<?, ?>> providers();

    /**
     * A new instance of every nnkit provider that the module-info of {@code member}'s module
     * provides: for modules with many plugins. A provider missing from both module-info and
     * {@code META-INF/services} then goes unnoticed, which an explicit list would catch.
     */
    protected static List<PluginProvider<?, ?>> providedBy(Class<?> member) {
        ModuleDescriptor d = PluginLocation.of(member).descriptor().orElseThrow(() -> new AssertionError(
                member.getName() + " is not in a module: list its providers instead"));
        List<PluginProvider<?, ?>> out = new java.util.ArrayList<>();
        for (ModuleDescriptor.Provides provides : d.provides()) {
            if (!provides.service().startsWith("dev.nnkit.api.")) {
                continue;
            }
            for (String name : provides.providers()) {
                try {
                    out.add((PluginProvider<?, ?>) Class.forName(name, true, member.getClassLoader())
                            .getConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("Cannot create " + name + " with its public no-argument constructor: " + e, e);
                }
            }
        }
        return out;
    }

    @Test
    @DisplayName("lists every provider in META-INF/services, where ServiceLoader finds it on a class path")
    protected void foundOnTheClassPath() throws IOException {
        for (PluginProvider<?, ?> p : providers()) {
            PluginLocation where = PluginLocation.of(p.getClass());
            String service = PluginLocation.serviceOf(p).getName();
            String name = p.getClass().getName();
            if (!where.services(service).contains(name)) {
                throw new AssertionError("META-INF/services/" + service + " in " + where + " does not list " + name
                        + (where.services(service).isEmpty() ? (where.hasFile("META-INF/services/" + service)
                        ? " (the file lists no class)" : " (the file is missing)") : " (it lists "
                        + where.services(service) + ")") + ", so the nn command, which reads plugins on the class path,"
                        + " will not find it. Add the line '" + name + "' to src/main/resources/META-INF/services/"
                        + service + " (after deleting or renaming a file there, build with mvn clean: Maven leaves the"
                        + " old copy in target/classes).");
            }
            try (URLClassLoader world = where.classPathWorld()) {
                requireFound(ServiceLoader.load(world.loadClass(service), world), name, "on a class path");
            } catch (ClassNotFoundException e) {
                throw new AssertionError(service + " is not on the test's paths: depend on nn-api.", e);
            }
        }
    }

    @Test
    @DisplayName("provides every provider in module-info, the same ones as META-INF/services, found on a module path")
    protected void foundOnTheModulePath() throws ReflectiveOperationException {
        for (PluginProvider<?, ?> p : providers()) {
            PluginLocation where = PluginLocation.of(p.getClass());
            String service = PluginLocation.serviceOf(p).getName();
            String name = p.getClass().getName();
            Optional<ModuleDescriptor> descriptor = where.descriptor();
            if (descriptor.isPresent()) {
                ModuleDescriptor d = descriptor.get();
                Set<String> provided = provided(d, service);
                if (!provided.contains(name)) {
                    throw new AssertionError("Module " + d.name() + " (" + where + ") does not provide " + name + ", so a"
                            + " modular application will not find it. Add to its module-info.java: provides " + service
                            + " with " + name + ";");
                }
                for (String s : union(where.servicesFiles(), d)) {
                    Set<String> listed = new TreeSet<>(where.services(s));
                    if (!listed.equals(provided(d, s))) {
                        throw new AssertionError("Module " + d.name() + " registers different " + s + "s on the two"
                                + " paths: module-info.java provides " + provided(d, s) + ", META-INF/services/" + s
                                + " lists " + listed + ". List the same classes in both.");
                    }
                }
            }
            Optional<String> module = where.moduleName();
            assumeTrue(module.isPresent(), where + " is a classes directory without module-info.class: on a module path"
                    + " only its jar is a module (an automatic one, which registers through META-INF/services)");
            ModuleLayer layer = where.modulePathWorld(module.get());
            requireFound(ServiceLoader.load(layer, loadIn(layer, service)), name, "on a module path");
        }
    }

    @Test
    @DisplayName("exports each settings record's package to dev.nnkit.api, so nnkit reads settings on a module path")
    protected void settingsReadableOnTheModulePath() throws ReflectiveOperationException {
        for (PluginProvider<?, ?> p : providers()) {
            PluginLocation where = PluginLocation.of(p.getClass());
            Optional<String> module = where.moduleName();
            assumeTrue(module.isPresent(), where + " is a classes directory without module-info.class");
            ModuleLayer layer = where.modulePathWorld(module.get());
            Optional<Object> found = ServiceLoader.load(layer, loadIn(layer, PluginLocation.serviceOf(p).getName()))
                    .stream().filter(s -> s.type().getName().equals(p.getClass().getName())).findFirst()
                    .map(ServiceLoader.Provider::get);
            assumeTrue(found.isPresent(), p.getClass().getName() + " is not found on a module path (see the check of"
                    + " module-info)");
            Object provider = found.get();
            // nnkit's own binder, as a modular application runs it: settings to plain values and back.
            Class<?> binder = loadIn(layer, "dev.nnkit.api.plugin.ConfigBinder");
            Class<?> providerType = loadIn(layer, "dev.nnkit.api.plugin.PluginProvider");
            Method toMap = binder.getMethod("toMap", Record.class);
            Method bind = binder.getMethod("bind", providerType, Map.class);
            try {
                Object defaults = providerType.getMethod("defaultConfig").invoke(provider);
                bind.invoke(null, provider, toMap.invoke(null, defaults));
            } catch (InvocationTargetException e) {
                throw new AssertionError("On a module path nnkit cannot read the settings of " + p.id() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static Class<?> loadIn(ModuleLayer layer, String className) throws ReflectiveOperationException {
        return layer.findLoader("dev.nnkit.api").loadClass(className);
    }

    private static void requireFound(ServiceLoader<?> loader, String name, String where) {
        try {
            var found = loader.stream().filter(s -> s.type().getName().equals(name)).findFirst();
            if (found.isPresent()) {
                found.get().get(); // a class-path provider needs a public no-argument constructor, checked only here
                return;
            }
        } catch (ServiceConfigurationError e) {
            throw new AssertionError("ServiceLoader " + where + " fails on " + name + ": " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""), e);
        }
        throw new AssertionError("ServiceLoader " + where + " does not find " + name + ".");
    }

    private static Set<String> provided(ModuleDescriptor d, String service) {
        Set<String> out = new TreeSet<>();
        d.provides().stream().filter(x -> x.service().equals(service)).forEach(x -> out.addAll(x.providers()));
        return out;
    }

    private static Set<String> union(Set<String> servicesFiles, ModuleDescriptor d) {
        Set<String> all = new TreeSet<>(servicesFiles);
        d.provides().stream().map(ModuleDescriptor.Provides::service).filter(s -> s.startsWith("dev.nnkit.api."))
                .forEach(all::add);
        return all;
    }
}
