package dev.nnkit.tck;

import dev.nnkit.api.plugin.PluginProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Plugin jars registered right and wrong, compiled from source by javac when first needed (one
 * module per variant), and the authors' tests of them. {@link ContractsCatchBugsTest} expects the
 * registration contract to fail each broken one in exactly the checks named there.
 */
final class RegistrationFixtures {
    private RegistrationFixtures() {
    }

    enum Variant { CORRECT, NO_PROVIDES, NO_SERVICES_FILE, SERVICES_LIST_MORE, SETTINGS_NOT_EXPORTED }

    private static Map<Variant, Path> jars;

    /** The provider of {@code variant}'s jar, loaded from it. */
    static PluginProvider<?, ?> provider(Variant variant) {
        Path jar = jars().get(variant);
        try {
            URLClassLoader loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                    RegistrationFixtures.class.getClassLoader());
            Constructor<?> c = loader.loadClass(pkg(variant) + ".SquareLossProvider").getDeclaredConstructor();
            c.setAccessible(true);
            return (PluginProvider<?, ?>) c.newInstance();
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot load the " + variant + " fixture from " + jar, e);
        }
    }

    private static String pkg(Variant v) {
        return "com.example.fixture." + v.name().toLowerCase().replace("_", "");
    }

    private static synchronized Map<Variant, Path> jars() {
        if (jars == null) {
            try {
                jars = build(Files.createTempDirectory("nnkit-registration-fixtures"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jars;
    }

    private static Map<Variant, Path> build(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path out = dir.resolve("classes");
        List<String> modules = new ArrayList<>();
        for (Variant v : Variant.values()) {
            String pkg = pkg(v);
            Path root = src.resolve(pkg);
            modules.add(pkg);
            write(root.resolve("module-info.java"), "module " + pkg + " {\n  requires dev.nnkit.api;\n"
                    + (v == Variant.SETTINGS_NOT_EXPORTED ? "" : "  exports " + pkg + ".settings;\n")
                    + (v == Variant.NO_PROVIDES ? "" : "  provides dev.nnkit.api.loss.LossProvider with " + pkg
                    + ".SquareLossProvider" + ";\n") + "}\n");
            write(root.resolve(pkg.replace('.', '/') + "/settings/SquareSettings.java"), "package " + pkg + ".settings;\n"
                    + "public record SquareSettings(double scale) {\n  public SquareSettings {\n"
                    + "    if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException(\"scale must be"
                    + " finite and > 0; got \" + scale + \".\");\n  }\n}\n");
            write(root.resolve(pkg.replace('.', '/') + "/SquareLossProvider.java"), "package " + pkg + ";\n"
                    + "import dev.nnkit.api.loss.*;\nimport dev.nnkit.api.plugin.BasicPluginProvider;\n"
                    + "import " + pkg + ".settings.SquareSettings;\n"
                    + "public final class SquareLossProvider extends BasicPluginProvider<SquareSettings, Loss>"
                    + " implements LossProvider<SquareSettings> {\n"
                    + "  public SquareLossProvider() {"
                    + " super(\"square-fixture\", \"scale · Σ (ŷ − y)²\", SquareSettings.class, new SquareSettings(1)); }\n"
                    + "  @Override public int spiVersion() { return SPI_VERSION; }\n"
                    + "  @Override public Loss create(SquareSettings s) {\n    return (p, y, g) -> {\n"
                    + "      double sum = 0;\n      for (int j = 0; j < p.length; j++) {\n"
                    + "        double d = p[j] - y[j];\n        sum += s.scale() * d * d;\n        g[j] = 2 * s.scale() * d;\n"
                    + "      }\n      return sum;\n    };\n  }\n}\n");
            if (v != Variant.NO_SERVICES_FILE) {
                write(root.resolve("META-INF/services/dev.nnkit.api.loss.LossProvider"), "# the plugin's losses\n" + pkg
                        + ".SquareLossProvider\n" + (v == Variant.SERVICES_LIST_MORE ? pkg + ".CubeLossProvider\n" : ""));
            }
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new IllegalStateException("no javac: run"
                + " the tests on a JDK"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int status = javac.run(print, print, Stream.concat(Stream.of("-d", out.toString(), "--module-source-path",
                src.toString(), "--module-path", apiLocation().toString(), "--module", String.join(",", modules)),
                Stream.of("-Xlint:none")).toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed on the registration fixtures:\n" + log);
        }
        Map<Variant, Path> built = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Path classes = out.resolve(pkg(v));
            Path services = src.resolve(pkg(v)).resolve("META-INF");
            Path jar = dir.resolve(pkg(v) + ".jar");
            try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Path base : List.of(classes, src.resolve(pkg(v)))) {
                    try (Stream<Path> files = Files.walk(base)) {
                        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                                .filter(f -> base == classes || f.startsWith(services))::iterator) {
                            j.putNextEntry(new JarEntry(base.relativize(f).toString().replace('\\', '/')));
                            j.write(Files.readAllBytes(f));
                            j.closeEntry();
                        }
                    }
                }
            }
            built.put(v, jar);
        }
        return built;
    }

    private static Path apiLocation() {
        try {
            return Path.of(PluginProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    abstract static class Fixture extends RegistrationContract {
        private final Variant variant;

        Fixture(Variant variant) {
            this.variant = variant;
        }

        @Override
        protected List<PluginProvider<?, ?>> providers() {
            return List.of(provider(variant));
        }
    }

    static class Correct extends Fixture {
        Correct() {
            super(Variant.CORRECT);
        }
    }

    static class NoProvides extends Fixture {
        NoProvides() {
            super(Variant.NO_PROVIDES);
        }
    }

    static class NoServicesFile extends Fixture {
        NoServicesFile() {
            super(Variant.NO_SERVICES_FILE);
        }
    }

    static class ServicesListMore extends Fixture {
        ServicesListMore() {
            super(Variant.SERVICES_LIST_MORE);
        }
    }

    static class SettingsNotExported extends Fixture {
        SettingsNotExported() {
            super(Variant.SETTINGS_NOT_EXPORTED);
        }
    }
}
