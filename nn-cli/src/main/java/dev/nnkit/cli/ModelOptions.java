package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options evaluate and predict share: the model and the data to run it on. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory, or a run directory written by nn train --out.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "CSV with the model's feature columns (and, for evaluate, its target), or IDX images.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "The IDX labels file that goes with IDX images.")
    Path labels;

    Model load(PluginRegistry registry) throws IOException {
        return ModelFiles.load(model, registry, Safetensors.NonFinite.REJECT);
    }

    /**
     * Reads the data with the model's target column and classes. For prediction a CSV may lack the
     * target column: then every column is a feature.
     */
    LoadedData read(Model m, boolean needTarget) throws IOException {
        Model.Labels l = m.labels();
        boolean idx = LoadedData.isIdx(data);
        Optional<String> target = l.target().isEmpty() ? Optional.empty() : Optional.of(l.target());
        if (!needTarget && !idx && !l.features().isEmpty()) {
            try (var lines = java.nio.file.Files.lines(data)) {
                String header = lines.findFirst().orElse("");
                if (!java.util.Arrays.stream(header.split(",")).map(String::trim).toList().contains(l.target())) {
                    return featuresOnly(m);
                }
            }
        }
        LoadedData d = LoadedData.read(data, Optional.ofNullable(labels), target,
                l.classes().isEmpty() ? TargetKind.NUMBERS : TargetKind.CLASSES, l.classes(), Integer.MAX_VALUE,
                m.network().dtype());
        checkFeatures(m, d);
        return d;
    }

    /** A CSV of features only (no target column), for prediction. */
    private LoadedData featuresOnly(Model m) throws IOException {
        // Read it as a table whose last column is a dummy target: append one.
        java.util.List<String> lines = java.nio.file.Files.readAllLines(data);
        Path tmp = java.nio.file.Files.createTempFile("nn-predict", ".csv");
        try {
            java.util.List<String> withTarget = new java.util.ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    withTarget.add(lines.get(i) + (i == 0 ? ",__nn_target__" : ",0"));
                }
            }
            java.nio.file.Files.write(tmp, withTarget);
            LoadedData d = LoadedData.read(tmp, Optional.empty(), Optional.of("__nn_target__"), TargetKind.NUMBERS,
                    java.util.List.of(), Integer.MAX_VALUE, m.network().dtype());
            LoadedData renamed = new LoadedData(d.table(), data);
            checkFeatures(m, renamed);
            return renamed;
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    private void checkFeatures(Model m, LoadedData d) throws dev.nnkit.io.InvalidFileException {
        if (!m.labels().features().isEmpty() && !d.table().featureNames().isEmpty()
                && !d.table().featureNames().equals(m.labels().features())) {
            throw new dev.nnkit.io.InvalidFileException(data, "line 1", "feature columns " + d.table().featureNames()
                    + " differ from the model's " + m.labels().features() + "; give the columns the model was trained on.");
        }
        Tensor f = d.features();
        if (f.shape().cols() != m.network().inputSize()) {
            throw new dev.nnkit.io.InvalidFileException(data, "", "has " + f.shape().cols() + " features per example; the "
                    + "model takes " + m.network().inputSize() + ".");
        }
    }
}
