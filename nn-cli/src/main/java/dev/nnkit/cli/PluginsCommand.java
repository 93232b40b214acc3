package dev.nnkit.cli;

import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginRegistry;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code nn plugins}: every discovered plugin with its kind, id, module and version. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List the discovered plugins.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.discover();
        var out = spec.commandLine().getOut();
        out.printf("%-12s %-42s %-22s %s%n", "KIND", "ID", "MODULE", "VERSION");
        registry.plugins().stream()
                .sorted(Comparator.comparing((PluginInfo p) -> p.kind()).thenComparing(PluginInfo::id))
                .forEach(p -> out.printf("%-12s %-42s %-22s %s%n", p.kind().label(), p.id(), where(p), p.version()));
        for (String problem : registry.problems()) {
            spec.commandLine().getErr().println("warning: " + problem);
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
