package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.model.Predictor;
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
            return LoadedData.images(data, l.classes(), m.network().dtype());
        }
        Optional<String> target = l.target().isEmpty() ? Optional.empty() : Optional.of(l.target());
        Predictor predictor = Predictor.of(m);
        if (!needTarget && !idx) { // read by column name; the target column, if there, is not read
            return new LoadedData(predictor.readCsv(data), data, predictor.columns());
        }
        return LoadedData.read("csv", data, Optional.ofNullable(labels), target,
                l.classes().isEmpty() ? TargetKind.NUMBERS : TargetKind.CLASSES, l.classes(), Integer.MAX_VALUE,
                m.network().dtype(), dev.nnkit.io.csv.Columns.Options.defaults(), predictor.columns(), model);
    }

    /**
     * The model's outputs for the data read by {@link #read}: checked against the model's
     * features, a CSV's pixels divided as the model's IDX training images were, refused when any
     * output is NaN ({@link Predictor#outputs(Tensor, java.util.List, Path, boolean)}).
     */
    Tensor outputs(Model m, LoadedData d) throws IOException {
        return Predictor.of(m).outputs(d.features(), d.table().featureNames(), data, !LoadedData.isIdx(data));
    }
}
