package dev.nnkit.tck;

import dev.nnkit.api.plugin.PluginProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The jar or classes directory a provider was loaded from, read as the JVM would read it: its
 * {@code META-INF/services} files, its module descriptor, and fresh class-path and module-path
 * worlds (everything this test run can see, with the plugin first) in which to discover it.
 */
final class PluginLocation {
    final Path path;

    private PluginLocation(Path path) {
        this.path = path;
    }

    static PluginLocation of(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new AssertionError(type.getName() + " has no code source: load it from a jar or a classes directory.");
        }
        try {
            return new PluginLocation(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new AssertionError("Cannot read the location of " + type.getName() + ": " + source.getLocation(), e);
        }
    }

    /** The nnkit plugin interface {@code provider} is registered under, e.g. {@code dev.nnkit.api.loss.LossProvider}. */
    static Class<?> serviceOf(PluginProvider<?, ?> provider) {
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(provider.getClass()));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            for (Class<?> i : c.getInterfaces()) {
                if (i.isInterface() && PluginProvider.class.isAssignableFrom(i) && i.getPackageName().startsWith("dev.nnkit.api.")
                        && !i.getPackageName().equals("dev.nnkit.api.plugin")) {
                    return i;
                }
                todo.add(i);
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
        }
        throw new AssertionError(provider.getClass().getName() + " implements no nnkit plugin interface (LossProvider,"
                + " OptimizerProvider, ActivationProvider, LayerProvider, InitializerProvider or"
                + " LearningRateScheduleProvider).");
    }

    /** The provider class names in {@code META-INF/services/<service>}, or none when the file is missing. */
    List<String> services(String service) {
        Optional<String> text = read("META-INF/services/" + service);
        List<String> names = new ArrayList<>();
        text.ifPresent(t -> t.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).forEach(names::add));
        return names;
    }

    /** Whether this location holds the entry {@code name}. */
    boolean hasFile(String name) {
        try (InputStream in = open(name)) {
            return in != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nnkit services this location's {@code META-INF/services} registers anything under. */
    Set<String> servicesFiles() {
        Set<String> out = new LinkedHashSet<>();
        for (String service : List.of("dev.nnkit.api.loss.LossProvider", "dev.nnkit.api.optimizer.OptimizerProvider",
                "dev.nnkit.api.activation.ActivationProvider", "dev.nnkit.api.layer.LayerProvider",
                "dev.nnkit.api.init.InitializerProvider", "dev.nnkit.api.schedule.LearningRateScheduleProvider")) {
            if (!services(service).isEmpty()) {
                out.add(service);
            }
        }
        return out;
    }

    /** The module descriptor, when this location holds a {@code module-info.class}. */
    Optional<ModuleDescriptor> descriptor() {
        try (InputStream in = open("module-info.class")) {
            return in == null ? Optional.empty() : Optional.of(ModuleDescriptor.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class loader over this location and every path of the test run, nothing else: a class path. */
    URLClassLoader classPathWorld() {
        List<URL> urls = new ArrayList<>();
        for (Path p : world()) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new URLClassLoader("plugin class path", urls.toArray(URL[]::new), JdkClasses.LOADER);
    }

    /**
     * The parent of the class-path world: the JDK's own classes and nothing else. The platform class
     * loader will not do: when the test runs on a module path, it hands out the classes of every
     * module in the boot layer, nn-api's and the plugin's included, and ServiceLoader then checks
     * the plugin's module instead of reading META-INF/services.
     */
    private static final class JdkClasses extends ClassLoader {
        static final JdkClasses LOADER = new JdkClasses();
        private final Set<String> packages = new java.util.HashSet<>();

        private JdkClasses() {
            super("jdk classes", null);
            ModuleFinder.ofSystem().findAll().forEach(r -> packages.addAll(r.descriptor().packages()));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            int dot = name.lastIndexOf('.');
            if (dot > 0 && packages.contains(name.substring(0, dot))) {
                return ClassLoader.getPlatformClassLoader().loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }
    }

    /**
     * A module layer holding this location's module and what it requires, found among the test
     * run's paths (the plugin's own copy first), over the boot layer: a module path.
     */
    ModuleLayer modulePathWorld(String moduleName) {
        Map<String, ModuleReference> found = new LinkedHashMap<>();
        for (Path p : world()) {
            try {
                for (ModuleReference r : ModuleFinder.of(p).findAll()) {
                    found.putIfAbsent(r.descriptor().name(), r);
                }
            } catch (RuntimeException notAModule) {
                // a directory of classes without module-info, or a jar without a usable name: not on a module path
            }
        }
        Map<String, ModuleReference> needed = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(moduleName, "dev.nnkit.api"));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            ModuleReference r = found.get(name);
            if (r == null || needed.containsKey(name)) {
                continue; // a JDK module, from the boot layer, or one already taken
            }
            needed.put(name, r);
            r.descriptor().requires().forEach(q -> todo.add(q.name()));
        }
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return Optional.ofNullable(needed.get(name));
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.copyOf(needed.values());
            }
        };
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(moduleName));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    /** This location's module name on a module path: its own, or the automatic name of a jar. */
    Optional<String> moduleName() {
        try {
            return ModuleFinder.of(path).findAll().stream().map(r -> r.descriptor().name()).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<Path> world() {
        Set<Path> paths = new LinkedHashSet<>(List.of(path));
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                    paths.add(Path.of(entry).toAbsolutePath());
                }
            }
        }
        return List.copyOf(paths);
    }

    private Optional<String> read(String entry) {
        try (InputStream in = open(entry)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream open(String entry) throws IOException {
        if (Files.isDirectory(path)) {
            Path file = path.resolve(entry);
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            ZipEntry e = jar.getEntry(entry);
            if (e == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(e)) {
                return new java.io.ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
