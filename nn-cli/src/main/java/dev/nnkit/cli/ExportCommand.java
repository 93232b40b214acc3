package dev.nnkit.cli;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nn export}: a model as an ONNX file (see docs/export.md). */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, sortOptions = false,
        description = "Write a model as an ONNX file (opset 17) that takes raw features and returns what nn predict"
                + " --probabilities returns, for ONNX Runtime and other ONNX runtimes.")
final class ExportCommand implements Callable<Integer> {
    enum Format { onnx }

    enum Type { float32, float64 }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory, or a run directory.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "onnx (the default and, today, the only one).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write, such as model.onnx (replaced if it exists).")
    Path out;

    @Option(names = "--dtype", paramLabel = "TYPE", description = "float32 or float64: compute in this type instead of the"
            + " model's (ONNX Runtime's CPU provider has no float64 Conv or Erf: export float64 CNNs as float32).")
    Type dtype;

    @Override
    public Integer call() throws IOException {
        refuseToOverwriteTheModel();
        PluginRegistry registry = PluginRegistry.discover();
        Model m = ModelFiles.load(model, registry, Safetensors.NonFinite.REJECT);
        DType type = dtype == null ? m.network().dtype() : DType.valueOf(dtype.name().toUpperCase(Locale.ROOT));
        OnnxExporter exporter = OnnxExporter.discover(registry);
        if (!Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new IOException("could not write " + out + ": " + (Files.exists(out.toAbsolutePath().getParent())
                    ? "a folder on its path is a file" : "its folder does not exist") + ".");
        }
        try {
            exporter.write(m, type, out); // every check passes before the file is replaced
        } catch (IOException e) {
            throw new IOException("could not write " + out + ": " + WriteFailure.reason(e) + ".", e);
        }
        var o = spec.commandLine().getOut();
        List<String> classes = m.labels().classes();
        o.printf(Locale.ROOT, "wrote %s: ONNX opset %d, %s, %,d bytes%n", out, OnnxExporter.OPSET, type.id(), Files.size(out));
        o.printf("input   features [batch, %s] (raw: the graph normalizes them)%n",
                m.network().inputShape().toString().replaceAll("[\\[\\]]", ""));
        if (classes.isEmpty()) {
            o.printf("output  predictions [batch, %d]%n", m.network().outputShape().size());
        } else {
            o.printf("output  probabilities [batch, %d], label [batch] (index into the metadata's classes: %s)%n",
                    Math.max(2, m.network().outputShape().size()), PrintableWriter.names(classes));
        }
        if (m.columns().filter(dev.nnkit.io.csv.Columns::encodes).isPresent()) {
            spec.commandLine().getErr().println("nn: note: this model encodes category columns or fills missing cells;"
                    + " the graph takes the encoded features (the metadata's 'features' and 'columns' say how; see"
                    + " docs/export.md).");
        }
        return NnCommand.OK;
    }

    /** --out must not replace a file of the model or run it reads (beside them in a run directory is fine). */
    private void refuseToOverwriteTheModel() {
        Path target = out.toAbsolutePath().normalize();
        String problem = Files.isDirectory(target) ? "is a directory" : partOfModel(model, target) ? "is part of the model or"
                + " run in " + model : null;
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " " + problem + ": the ONNX file would"
                    + " replace it. Give another file name, such as model.onnx.");
        }
    }

    /**
     * Whether writing {@code target} would replace part of the model or run directory {@code dir}:
     * a run's model/, checkpoints/, metrics.jsonl or curves.png, or anything in a model directory.
     */
    static boolean partOfModel(Path dir, Path target) {
        Path given = dir.toAbsolutePath().normalize();
        boolean runDirectory = Files.isDirectory(given.resolve("model"));
        List<Path> kept = runDirectory ? List.of(given.resolve("model"), given.resolve("checkpoints"),
                given.resolve("metrics.jsonl"), given.resolve("curves.png")) : List.of(given);
        return kept.stream().anyMatch(target.toAbsolutePath().normalize()::startsWith);
    }
}
