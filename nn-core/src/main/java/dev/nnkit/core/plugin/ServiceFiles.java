package dev.nnkit.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code META-INF/services} files of one plugin kind on a class path. ServiceLoader takes a
 * provider class named by two jars once, from the first jar, and says nothing: two versions of one
 * plugin (an old jar left beside a new one) would run the older silently. This makes that an error.
 */
final class ServiceFiles {
    private ServiceFiles() {
    }

    /** @throws DuplicatePluginException naming the class and both jars, when two jars register one class */
    static void requireOneCopyEach(PluginKind kind, ClassLoader loader) {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        try {
            String resource = "META-INF/services/" + kind.serviceType().getName();
            Enumeration<URL> files = loader.getResources(resource);
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                String jar = jarOf(file, resource);
                for (String name : classNames(file)) {
                    List<String> where = sources.computeIfAbsent(name, n -> new ArrayList<>());
                    if (!where.contains(jar)) {
                        where.add(jar);
                    }
                }
            }
        } catch (IOException e) {
            return; // unreadable here means ServiceLoader reports it, per provider
        }
        for (Map.Entry<String, List<String>> e : sources.entrySet()) {
            if (e.getValue().size() > 1) {
                // Listed twice is not yet two copies (test resources may repeat a services file, a
                // bundle may list its dependency's providers): two jars must hold the class itself.
                List<String> copies = copiesOf(e.getKey(), loader);
                if (copies.size() > 1) {
                    throw new DuplicatePluginException("Two copies of the " + kind.label() + " provider " + e.getKey()
                            + " are on the class path: in " + String.join(" and in ", copies) + ". Two versions of one"
                            + " plugin? Only the first would be used, silently: remove the other jar.");
                }
            }
        }
    }

    /** The jars or directories that hold {@code className}'s class file. */
    private static List<String> copiesOf(String className, ClassLoader loader) {
        String resource = className.replace('.', '/') + ".class";
        List<String> out = new ArrayList<>();
        try {
            for (URL url : java.util.Collections.list(loader.getResources(resource))) {
                String jar = jarOf(url, resource);
                if (!out.contains(jar)) {
                    out.add(jar);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** The jar or directory a services file is in: {@code jar:file:/p/a.jar!/META-INF/…} → {@code /p/a.jar}. */
    private static String jarOf(URL file, String resource) {
        String s = file.toString();
        int bang = s.indexOf("!/");
        s = s.startsWith("jar:") && bang > 0 ? s.substring(4, bang)
                : s.endsWith(resource) ? s.substring(0, s.length() - resource.length()) : s;
        try {
            // The real path: one jar put on the path twice, through a link, is not two copies.
            return java.nio.file.Path.of(java.net.URI.create(s)).toRealPath().toString();
        } catch (RuntimeException | java.io.IOException notAFile) {
            return s;
        }
    }

    private static List<String> classNames(URL file) throws IOException {
        List<String> names = new ArrayList<>();
        java.net.URLConnection connection = file.openConnection();
        connection.setUseCaches(false); // as ServiceLoader does: a cached jar stays open, and locked on Windows
        try (InputStream in = connection.getInputStream()) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty()).forEach(names::add);
        }
        return names;
    }
}
