package dev.nnkit.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a jar on the class path, where a class has no module version: its manifest's
 * {@code Implementation-Version}, else its module descriptor's version, else the version Maven
 * wrote into {@code META-INF/maven/…/pom.properties}, else the version in its file name
 * ({@code focal-lion-1.0.0.jar}), else {@code unknown}. Read once per jar. Thread-safe.
 */
final class JarVersions {
    private static final Pattern FILE_NAME_VERSION = Pattern.compile("-(\\d+(?:\\.\\d+)*(?:[-.][A-Za-z0-9]+)*)\\.jar$");
    private static final Map<URL, String> CACHE = new ConcurrentHashMap<>();

    private JarVersions() {
    }

    static String of(URL location) {
        return CACHE.computeIfAbsent(location, JarVersions::read);
    }

    private static String read(URL location) {
        Path path;
        try {
            path = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "unknown";
        }
        if (!Files.isRegularFile(path)) {
            return "unknown"; // a classes directory: no version of its own
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            String v = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
            if (v == null) {
                v = moduleVersion(jar);
            }
            if (v == null) {
                v = mavenVersion(jar);
            }
            if (v == null) {
                Matcher m = FILE_NAME_VERSION.matcher(path.getFileName().toString());
                v = m.find() ? m.group(1) : null;
            }
            return v == null || v.isBlank() ? "unknown" : v.strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String moduleVersion(JarFile jar) throws IOException {
        JarEntry e = jar.getJarEntry("module-info.class");
        if (e == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(e)) {
            return ModuleDescriptor.read(in).rawVersion().orElse(null);
        }
    }

    private static String mavenVersion(JarFile jar) throws IOException {
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry e = entries.nextElement();
            if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                Properties p = new Properties();
                try (InputStream in = jar.getInputStream(e)) {
                    p.load(in);
                }
                return p.getProperty("version");
            }
        }
        return null;
    }
}
