package dev.nnkit.cli;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.csv.Columns;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Datasets;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.PixelScale;
import dev.nnkit.io.files.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Examples read from a CSV or IDX file: the features, the target column (a number or a class
 * index) and the names that go with them.
 *
 * @param table the features and targets
 * @param file where they came from, for messages
 * @param columns for a CSV, how its columns became the features (fitted on training data)
 */
record LoadedData(LabeledTable table, Path file, Optional<Columns> columns) {

    /** Examples that were not read through {@link Columns} (IDX images, or a table made in memory). */
    LoadedData(LabeledTable table, Path file) {
        this(table, file, Optional.empty());
    }

    /**
     * A training or validation file: a CSV's input columns chosen and fitted by {@code options},
     * or read as {@code given} ones were fitted; IDX as {@link #read(String, Path, Optional, Optional,
     * TargetKind, List, int, DType)} reads it.
     *
     * @param config the config file, for messages about the column options
     */
    static LoadedData read(String format, Path file, Optional<Path> idxLabels, Optional<String> target, TargetKind kind,
                           List<String> classes, int limit, DType dtype, Columns.Options options, Optional<Columns> given,
                           Path config) throws IOException {
        InputFiles.requireFile(file, format.equals("idx") ? "IDX images" : "CSV or IDX data");
        if (!format.equals("idx") && !isIdx(file)) {
            CsvTableReader.Encoded e = CsvTableReader.read(file, target, kind, classes, dtype, options, given, config);
            return new LoadedData(e.table(), file, Optional.of(e.columns()));
        }
        return read(format, file, idxLabels, target, kind, classes, limit, dtype);
    }

    /** A CSV file, or an IDX images file with its labels file (detected by the IDX magic bytes). */
    static LoadedData read(Path file, Optional<Path> idxLabels, Optional<String> target, TargetKind kind,
                           List<String> classes, int limit, DType dtype) throws IOException {
        return read("csv", file, idxLabels, target, kind, classes, limit, dtype);
    }

    /**
     * The data in {@code format}: {@code idx} reads the file as IDX whatever it holds (a wrong magic
     * is refused, never read as CSV); {@code csv} reads a CSV file, or IDX images when the file
     * starts like IDX.
     */
    static LoadedData read(String format, Path file, Optional<Path> idxLabels, Optional<String> target,
                           TargetKind kind, List<String> classes, int limit, DType dtype) throws IOException {
        InputFiles.requireFile(file, format.equals("idx") ? "IDX images" : "CSV or IDX data");
        if (!format.equals("idx") && !isIdx(file)) {
            return new LoadedData(CsvTableReader.read(file, target, kind, classes, dtype), file);
        }
        if (idxLabels.isEmpty()) {
            throw new InvalidFileException(file, "", "IDX images need their labels file too: data.trainLabels (or "
                    + "data.validationLabels) in the config, or --labels with nn evaluate.");
        }
        InputFiles.requireFile(idxLabels.get(), "IDX labels");
        Dataset d = Datasets.idxImages(file, idxLabels.get(), limit, dtype);
        double[] y = d.targets().toDoubleArray();
        for (int i = 0; i < y.length; i++) {
            if (!classes.isEmpty() && y[i] >= classes.size()) {
                throw new InvalidFileException(idxLabels.get(), "item " + i, "the label " + (long) y[i] + " is beyond the "
                        + classes.size() + " known classes (0 to " + (classes.size() - 1) + ": " + names(classes)
                        + "); use the labels file that goes with these classes, or name every class.");
            }
        }
        int k = (int) java.util.Arrays.stream(y).max().orElse(0) + 1;
        List<String> names = new ArrayList<>(classes);
        for (int c = names.size(); c < k; c++) {
            names.add(String.valueOf(c));
        }
        return new LoadedData(new LabeledTable(List.of(), "label", d.features(), y, names), file);
    }

    /** IDX images without labels, for prediction: every target is 0. */
    static LoadedData images(Path file, List<String> classes, DType dtype) throws IOException {
        Tensor images = Datasets.idxFeatures(file, Integer.MAX_VALUE, dtype);
        return new LoadedData(new LabeledTable(List.of(), "", images, new double[images.shape().dim(0)], classes), file);
    }

    private static String names(List<String> classes) {
        List<String> shown = classes.stream().limit(10).map(InvalidFileException::quote).toList();
        return String.join(", ", shown) + (classes.size() > 10 ? ", …" : "");
    }

    /**
     * Whether the file starts like an IDX file: 00 00 and a type code, plain or gzip-compressed
     * (whatever the file's name). A gzip file holding anything else goes to the CSV reader, which
     * refuses it as binary and says to decompress it.
     */
    static boolean isIdx(Path file) throws IOException {
        byte[] head = head(file);
        return head.length == 3 && head[0] == 0 && head[1] == 0 && head[2] >= 0x08 && head[2] <= 0x0E;
    }

    /**
     * How the IDX reader scaled the pixels of {@code file}, for the model to record: whole bytes
     * when its type is ubyte (0x08); nothing for a CSV.
     */
    static Optional<PixelScale> pixelScale(Path file) throws IOException {
        return isIdx(file) ? Optional.of(head(file)[2] == 0x08 ? PixelScale.UBYTE : new PixelScale(255, false))
                : Optional.empty();
    }

    /** The first three bytes, after gzip decompression when the file is gzip (none when corrupt). */
    private static byte[] head(Path file) throws IOException {
        InputFiles.requireFile(file, "CSV or IDX data");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(3);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                try (InputStream raw = Files.newInputStream(file); InputStream gz = new GZIPInputStream(raw)) {
                    head = gz.readNBytes(3);
                } catch (IOException corrupt) {
                    return new byte[0];
                }
            }
            return head;
        }
    }

    Tensor features() {
        return table.features();
    }

    double[] target() {
        return table.target();
    }

    List<String> classes() {
        return table.classes();
    }

    /**
     * The class names a model with {@code outputs} outputs records: IDX classes (labels 0 … max)
     * padded with "k", … up to the outputs, since a subset of the labels may miss the top classes;
     * a CSV's classes as they are (the outputs were checked against them).
     */
    List<String> classNames(int outputs) {
        if (!table.featureNames().isEmpty() || classes().isEmpty() || outputs <= classes().size()) {
            return classes();
        }
        List<String> names = new ArrayList<>(classes());
        for (int c = names.size(); c < outputs; c++) {
            names.add(String.valueOf(c));
        }
        return names;
    }

    /** The same examples with the target as {@code n} transforms it ({@code data.normalizeTarget}). */
    LoadedData scaledTarget(Normalizer n) throws InvalidFileException {
        Tensor t = Tensor.of(DType.FLOAT64, dev.nnkit.api.tensor.Shape.of(table.rows(), 1), table.target());
        try {
            n.apply(t);
        } catch (Normalizer.OverflowException e) {
            throw new InvalidFileException(file, "example " + (e.row() + 1) + ", target "
                    + InvalidFileException.quote(table.targetName()), e.problem());
        }
        return new LoadedData(new LabeledTable(table.featureNames(), table.targetName(), table.features(),
                t.toDoubleArray(), table.classes()), file, columns);
    }

    /** Applies a fitted normalizer to the features, in place; an overflow is this file's fault. */
    void normalize(Optional<Normalizer> n) throws InvalidFileException {
        try {
            n.ifPresent(x -> x.apply(table.features()));
        } catch (Normalizer.OverflowException e) {
            List<String> names = table.featureNames();
            throw new InvalidFileException(file, "example " + (e.row() + 1) + ", feature " + (e.column() + 1)
                    + (e.column() < names.size() ? " (" + InvalidFileException.quote(names.get(e.column())) + ")" : ""),
                    e.problem());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(file, "", e.getMessage());
        }
    }

    /**
     * The examples as a dataset with targets as wide as the loss wants (the class count against
     * the {@code outputs} is checked before, by {@code TrainingConfig.checkClasses}).
     */
    Dataset dataset(int width, int outputs, DType dtype, Path config) throws InvalidFileException {
        try {
            return new Dataset(table.features(), table.targets(width, dtype));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(config, "/layers", e.getMessage());
        }
    }
}
