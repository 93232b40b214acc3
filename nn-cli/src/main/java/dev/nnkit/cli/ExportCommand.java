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
import java.util.Optional;
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
        Optional<String> problem = OutputPaths.problem(out, model, null);
        if (problem.isPresent()) {
            throw new ParameterException(spec.commandLine(), OutputPaths.refusal("--out", out, problem.get(), "the ONNX file")
                    + ", such as model.onnx.");
        }
        PluginRegistry registry = PluginRegistry.discover();
        Model m = ModelFiles.load(model, registry, Safetensors.NonFinite.REJECT);
        DType type = dtype == null ? m.network().dtype() : DType.valueOf(dtype.name().toUpperCase(Locale.ROOT));
        OnnxExporter exporter = OnnxExporter.discover(registry);
        OutputPaths.requireFolder(out);
        OnnxExporter.Exported exported;
        try {
            exported = exporter.write(m, type, out); // every check passes before the file is replaced
        } catch (IOException e) {
            throw new IOException("could not write " + out + ": " + WriteFailure.reason(e) + ".", e);
        }
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: ONNX opset %d, %s, %,d bytes%n", out, OnnxExporter.OPSET, type.id(),
                exported.bytes().length);
        o.printf("input   %s%n", exported.input());
        o.printf("output  %s%s%n", exported.output(), m.labels().classes().isEmpty() ? ""
                : "; classes " + PrintableWriter.names(m.labels().classes()));
        exported.notes().forEach(n -> spec.commandLine().getErr().println("nn: note: " + n));
        return NnCommand.OK;
    }
}
