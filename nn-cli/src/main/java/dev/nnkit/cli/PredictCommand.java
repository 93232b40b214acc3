package dev.nnkit.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.io.model.Model;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn predict}: predictions as CSV, with the original class names. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, sortOptions = false,
        description = "Predict with a model; CSV out (the class name, or the value for regression).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the CSV here instead of stdout.")
    Path output;

    @Option(names = "--probabilities", description = "Add one column per class with its probability.")
    boolean probabilities;

    @Option(names = "--keep", paramLabel = "COLUMN", split = ",",
            description = "Copy these columns of the data (ids, say) into the output, first, as they are.")
    List<String> keep = new ArrayList<>();

    /** The kept columns' cells, row by row (empty without --keep). */
    private List<List<String>> kept = List.of();

    @Override
    public Integer call() throws Exception {
        if (output != null) {
            refuseToOverwriteInputs();
        }
        PluginRegistry registry = PluginRegistry.discover();
        Model m = options.load(registry);
        LoadedData d = options.read(m, false);
        if (!keep.isEmpty()) {
            if (LoadedData.isIdx(options.data)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--keep copies CSV columns, and "
                        + options.data + " is IDX images, which have none. Drop --keep.");
            }
            kept = dev.nnkit.io.csv.CsvTableReader.cells(options.data, keep);
        }
        Tensor p = options.outputs(m, d);
        List<String> classes = m.labels().classes();
        if (output == null) {
            write(spec.commandLine().getOut(), p, classes);
            spec.commandLine().getOut().flush();
            return NnCommand.OK;
        }
        // Written aside and renamed: a failure leaves the previous file, and no temporary one.
        Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".tmp");
        OutputPaths.requireFolder(output);
        try {
            write(Files.newBufferedWriter(tmp), p, classes);
            Files.move(tmp, output, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.IOException("could not write " + output + ": " + WriteFailure.reason(e) + ".", e);
        } catch (java.io.UncheckedIOException e) { // FastCSV's writer reports write errors so
            throw new java.io.IOException("could not write " + output + ": " + WriteFailure.reason(e.getCause()) + ".", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return NnCommand.OK;
    }

    /** --output must not replace what this command reads, nor a folder, device, pipe or link ({@link OutputPaths}). */
    private void refuseToOverwriteInputs() throws java.io.IOException {
        Optional<String> problem = OutputPaths.problem(output, options.model, options.data);
        if (problem.isPresent()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    OutputPaths.refusal("--output", output, problem.get(), "predictions") + ".");
        }
    }

    /**
     * A value at its model's precision: a float32 model's as the shortest decimal that reads back
     * as the same float (0.99975979, not 0.9997597932815552, a double's digits of that float).
     */
    private static String number(Tensor p, double v) {
        return p.dtype() == dev.nnkit.api.tensor.DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
    }

    private void write(Writer w, Tensor p, List<String> classes) throws java.io.IOException {
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w)) {
            int cols = p.shape().cols();
            List<String> header = new ArrayList<>(keep);
            if (classes.isEmpty() && cols > 1) { // a regression with several outputs: one column each
                for (int c = 0; c < cols; c++) {
                    header.add("prediction_" + c);
                }
            } else {
                header.add("prediction");
            }
            if (probabilities && !classes.isEmpty()) {
                for (int c = 0; c < Math.max(cols, 2); c++) {
                    header.add("p(" + Scores.name(classes, c) + ")");
                }
            }
            csv.writeRecord(header);
            for (int r = 0; r < p.shape().rows(); r++) {
                List<String> row = new ArrayList<>(kept.isEmpty() ? List.of() : kept.get(r));
                if (classes.isEmpty()) {
                    for (int c = 0; c < cols; c++) {
                        row.add(number(p, p.get(r * cols + c)));
                    }
                } else {
                    row.add(Scores.name(classes, Metrics.predictedClass(p, r, cols)));
                    if (probabilities) {
                        if (cols == 1) {
                            row.add(number(p, 1 - p.get(r)));
                            row.add(number(p, p.get(r)));
                        } else {
                            for (int c = 0; c < cols; c++) {
                                row.add(number(p, p.get(r * cols + c)));
                            }
                        }
                    }
                }
                csv.writeRecord(row);
            }
        }
    }
}
