package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options evaluate and predict share: the model and the data to run it on. */
final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory, or a run directory written by nn train --out.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "CSV with the model's feature columns (and, for evaluate, its target), or IDX images.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "The IDX labels file that goes with IDX images (evaluate needs it; predict does not).")
    Path labels;

    Model load(PluginRegistry registry) throws IOException {
        return ModelFiles.load(model, registry, Safetensors.NonFinite.REJECT);
    }

    /**
     * Reads the data with the model's target column and classes. For prediction a CSV's target
     * column is not read (it may be missing, empty or hold new labels) and IDX images may come
     * without labels.
     * Evaluating IDX images without --labels, or giving --labels with a CSV, is a usage error (exit 2).
     */
    LoadedData read(Model m, boolean needTarget) throws IOException {
        Model.Labels l = m.labels();
        boolean idx = LoadedData.isIdx(data);
        if (idx && labels == null && needTarget) {
            throw new ParameterException(mixee.commandLine(), "--labels is needed: evaluating IDX images scores the "
                    + "predictions against their IDX labels file (e.g. --labels t10k-labels-idx1-ubyte.gz).");
        }
        if (!idx && labels != null) {
            throw new ParameterException(mixee.commandLine(), "--labels is only for IDX images, but " + data
                    + " is a CSV file: its target column is read from the file itself. Drop --labels.");
        }
        if (idx && labels == null) {
            LoadedData d = LoadedData.images(data, l.classes(), m.network().dtype());
            checkFeatures(m, d, idx);
            return d;
        }
        Optional<String> target = l.target().isEmpty() ? Optional.empty() : Optional.of(l.target());
        if (!needTarget && !idx) { // the target column, if there, is not read (an IDX-trained model's is "label")
            LoadedData d = new LoadedData(CsvTableReader.readFeatures(data, target, m.network().dtype()), data);
            checkFeatures(m, d, idx);
            return d;
        }
        LoadedData d = LoadedData.read(data, Optional.ofNullable(labels), target,
                l.classes().isEmpty() ? TargetKind.NUMBERS : TargetKind.CLASSES, l.classes(), Integer.MAX_VALUE,
                m.network().dtype());
        checkFeatures(m, d, idx);
        return d;
    }

    /** At most 20 names, quoted: a 100,000-column header does not become a 100,000-name message. */
    static String shortList(java.util.List<String> names) {
        return "[" + String.join(", ", names.stream().limit(20).map(dev.nnkit.io.InvalidFileException::quote).toList())
                + (names.size() > 20 ? ", … (" + names.size() + " in all)" : "") + "]";
    }

    /**
     * The CSV's features, scaled as the model's IDX training images were (checked to be pixels),
     * then checked against the model.
     */
    private void checkFeatures(Model m, LoadedData d, boolean idx) throws dev.nnkit.io.InvalidFileException {
        if (!m.labels().features().isEmpty() && !d.table().featureNames().isEmpty()
                && !d.table().featureNames().equals(m.labels().features())) {
            throw new dev.nnkit.io.InvalidFileException(data, "line 1", "feature columns " + shortList(d.table()
                    .featureNames()) + " differ from the model's " + shortList(m.labels().features())
                    + "; give the columns the model was trained on.");
        }
        Tensor f = d.features();
        if (f.shape().cols() != m.network().inputSize()) {
            throw new dev.nnkit.io.InvalidFileException(data, "", "has " + f.shape().cols() + " features per example; the "
                    + "model takes " + m.network().inputSize() + (m.network().inputShape().rank() > 1 ? " (samples of shape "
                    + m.network().inputShape() + ")" : "") + ".");
        }
        if (!idx && m.pixelScale().isPresent()) { // IDX images were scaled as they were read
            m.pixelScale().get().apply(f, d.table().featureNames(), data);
        }
        if (m.normalizer().isPresent()) { // a value the model's normalizer would overflow is refused here, by file
            new LoadedData(new dev.nnkit.io.csv.LabeledTable(d.table().featureNames(), "", f.copy(), d.target(),
                    java.util.List.of()), data).normalize(m.normalizer());
        }
    }

    /**
     * The predictions, refused when any is NaN: a class chosen from NaN probabilities would be a
     * confident wrong answer. Names the first row and the data file.
     */
    static Tensor finite(Tensor predictions, Path data) throws dev.nnkit.io.InvalidFileException {
        int cols = predictions.shape().cols();
        for (int i = 0; i < predictions.size(); i++) {
            if (Double.isNaN(predictions.get(i))) {
                throw new dev.nnkit.io.InvalidFileException(data, "row " + (i / cols + 1), "the model's output for"
                        + " this row is NaN (and so for any row with the same problem): the row holds values the"
                        + " network overflows on, or the model's weights are damaged. Check the row, and the model"
                        + " with nn inspect.");
            }
        }
        return predictions;
    }
}
