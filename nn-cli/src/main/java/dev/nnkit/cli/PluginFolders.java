package dev.nnkit.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The folders the launcher put plugin jars from on the class path (its {@code plugins/} and each
 * folder on {@code NN_PLUGIN_PATH}, passed as {@code -Dnnkit.pluginPath}), and what {@code nn plugins}
 * can tell an author about a jar there that registers nothing.
 */
final class PluginFolders {
    private PluginFolders() {
    }

    /** The folders, in the launcher's order; none when nn was started some other way. */
    static List<Path> folders() {
        List<Path> out = new ArrayList<>();
        for (String dir : System.getProperty("nnkit.pluginPath", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                out.add(Path.of(dir));
            }
        }
        return out;
    }

    /** The file a plugin's source URL names ({@code file:/…/x.jar}), when it is one. */
    static Optional<Path> path(String source) {
        try {
            return Optional.of(Path.of(new java.net.URI(source)).toAbsolutePath());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The jars in one folder, by name. */
    static List<Path> jars(Path folder) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "*.jar")) {
            s.forEach(out::add);
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /**
     * Why a jar in a plugin folder that registers no plugin on the class path would be one on a
     * module path: its module-info provides nnkit services without a {@code META-INF/services} file.
     */
    static Optional<String> onlyModuleRegistration(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry info = file.getJarEntry("module-info.class");
            if (info == null) {
                return Optional.empty();
            }
            ModuleDescriptor d;
            try (InputStream in = file.getInputStream(info)) {
                d = ModuleDescriptor.read(in);
            }
            List<String> missing = new ArrayList<>();
            for (ModuleDescriptor.Provides p : d.provides()) {
                if (p.service().startsWith("dev.nnkit.api.") && file.getJarEntry("META-INF/services/" + p.service()) == null) {
                    missing.add("META-INF/services/" + p.service() + " listing " + String.join(", ", p.providers()));
                }
            }
            return missing.isEmpty() ? Optional.empty() : Optional.of(jar + " registers its plugins only in module-info"
                    + " (module " + d.name() + "); nn reads plugin jars on the class path, where they need "
                    + String.join(" and ", missing) + ". Add " + (missing.size() == 1 ? "the file" : "these files")
                    + " to the jar (nn-tck's RegistrationContract checks that both registrations agree).");
        } catch (IOException | RuntimeException e) {
            return Optional.of(jar + " cannot be read as a jar: " + e.getMessage());
        }
    }
}
