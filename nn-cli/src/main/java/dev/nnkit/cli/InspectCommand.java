package dev.nnkit.cli;

import dev.nnkit.core.network.Stage;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.safetensors.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code nn inspect}: what a model is made of and where it came from. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class,
        description = "Show a model's layers, shapes, parameter counts, plugins and provenance.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model or run directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Model m = dev.nnkit.io.model.ModelFiles.load(dir, PluginRegistry.discover(), Safetensors.NonFinite.REJECT);
        Path modelDir = Files.isRegularFile(dir.resolve("model.json")) ? dir : dir.resolve("model");
        JsonNode json = JsonMapper.builder().build().readTree(modelDir.resolve("model.json").toFile());
        var out = spec.commandLine().getOut();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "type", "settings", "output", "parameters"});
        rows.add(new String[] {"in", "input", "", "[n, " + m.network().inputShape().toString().substring(1), ""});
        for (int i = 0; i < m.network().stages().size(); i++) {
            Stage s = m.network().stages().get(i);
            int index = i;
            long params = s.layer().parameters().stream().mapToLong(p -> p.value().size()).sum();
            JsonNode settings = json.get("network").get("stages").get(i).deepCopy();
            ((tools.jackson.databind.node.ObjectNode) settings).remove("type");
            String shapes = java.util.stream.Stream.concat(
                    s.layer().parameters().stream().map(p -> index + "." + p.name() + p.value().shape()),
                    s.layer().buffers().stream().map(b -> index + "." + b.name() + b.value().shape() + " (buffer)"))
                    .reduce((a, b) -> a + " " + b).orElse("");
            rows.add(new String[] {String.valueOf(i), s.spec().type(), settings.isEmpty() ? "" : settings.toString(),
                    "[n, " + s.layer().outputShape().toString().substring(1), params == 0 ? "" : params + "  " + shapes});
        }
        int[] widths = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        for (String[] r : rows) { // columns as wide as their widest cell, so long settings keep the table straight
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s  ", r[c]));
            }
            out.println((line + r[4]).stripTrailing());
        }
        out.printf(Locale.ROOT, "%ntotal parameters  %,d (%s)%n", m.network().parameterCount(), m.network().dtype().id());
        out.printf("loss              %s%n", json.get("loss"));
        out.printf("prediction        %s%n", m.predictionActivation());
        m.normalizer().ifPresent(n -> out.printf("normalizer        %s over %d features%n", n.type(), n.shift().size()));
        m.targetNormalizer().ifPresent(n -> out.printf(java.util.Locale.ROOT, "target normalizer %s (mean %.6g, std %.6g),"
                + " undone at prediction%n", n.type(), n.shift().get(0), n.scale().get(0)));
        m.columns().ifPresent(c -> {
            for (var col : c.inputs()) {
                if (col.categorical() || !col.fill().isEmpty()) {
                    out.printf("column            %s:%s%s%n", PrintableWriter.name(col.name()), col.categorical()
                            ? " categories " + PrintableWriter.names(col.categories()) : "",
                            col.fill().isEmpty() ? "" : " missing → " + PrintableWriter.name(col.fill()));
                }
            }
            out.printf("unknown category  %s%n", c.ignoreUnknown() ? "ignored (all its features 0)" : "an error");
        });
        if (!m.labels().classes().isEmpty()) {
            out.printf("classes           %s%n", PrintableWriter.names(m.labels().classes()));
        }
        if (!m.labels().features().isEmpty()) {
            out.printf("features          %s → %s%n", PrintableWriter.names(m.labels().features()),
                    PrintableWriter.name(m.labels().target()));
        }
        out.printf("%nplugins%n");
        json.path("plugins").properties().forEach(e -> out.printf("  %-40s %s%n", e.getKey(), e.getValue().asString()));
        out.printf("%nprovenance%n");
        int keyWidth = Math.max(12, m.provenance().keySet().stream().mapToInt(String::length).max().orElse(0));
        m.provenance().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> out.printf("  %-" + keyWidth + "s %s%n", e.getKey(), e.getValue()));
        out.printf("  %-" + keyWidth + "s %s%n", "format", "nnkit-model " + json.path("formatVersion").asInt());
        return NnCommand.OK;
    }
}
