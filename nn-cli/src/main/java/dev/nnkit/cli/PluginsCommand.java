package dev.nnkit.cli;

import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code nn plugins}: every discovered plugin with its kind, id, module and version. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, description = "List the discovered plugins.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.discover();
        var out = spec.commandLine().getOut();
        List<PluginInfo> plugins = registry.plugins().stream()
                .sorted(Comparator.comparing((PluginInfo p) -> p.kind()).thenComparing(PluginInfo::id)).toList();
        // Columns as wide as their longest entry: jar names on the class path are longer than module names.
        int ids = plugins.stream().mapToInt(p -> p.id().length()).max().orElse(0);
        int wheres = plugins.stream().mapToInt(p -> where(p).length()).max().orElse(0);
        String row = "%-12s %-" + Math.max(ids, 2) + "s  %-" + Math.max(wheres, 6) + "s  %s%n";
        out.printf(row, "KIND", "ID", "MODULE", "VERSION");
        plugins.forEach(p -> out.printf(row, p.kind().label(), p.id(), where(p), p.version()));
        for (String problem : registry.problems()) {
            spec.commandLine().getErr().println("warning: " + problem);
        }
        List<Path> folders = PluginFolders.folders();
        if (!folders.isEmpty()) {
            out.printf("%nPlugin folders: %s%n", String.join(", ", folders.stream().map(Object::toString).toList()));
            Set<Path> sources = new HashSet<>();
            plugins.forEach(p -> PluginFolders.path(p.source()).ifPresent(sources::add));
            for (Path folder : folders) {
                for (Path jar : PluginFolders.jars(folder)) {
                    if (!sources.contains(jar.toAbsolutePath())) {
                        PluginFolders.onlyModuleRegistration(jar)
                                .ifPresent(why -> spec.commandLine().getErr().println("warning: " + why));
                    }
                }
            }
        }
        return NnCommand.OK;
    }

    /** The module name, or on the class path the jar (or directory) the plugin came from. */
    private static String where(PluginInfo p) {
        if (!p.module().equals("unnamed")) {
            return p.module();
        }
        String s = p.source().replaceAll("/+$", "");
        return "classpath:" + s.substring(s.lastIndexOf('/') + 1);
    }
}
