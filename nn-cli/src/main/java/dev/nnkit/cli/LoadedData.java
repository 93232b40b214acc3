package dev.nnkit.cli;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Datasets;
import dev.nnkit.io.data.Normalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Examples read from a CSV or IDX file: the features, the target column (a number or a class
 * index) and the names that go with them.
 *
 * @param table the features and targets
 * @param file where they came from, for messages
 */
record LoadedData(LabeledTable table, Path file) {

    /** A CSV file, or an IDX images file with its labels file (detected by the IDX magic bytes). */
    static LoadedData read(Path file, Optional<Path> idxLabels, Optional<String> target, TargetKind kind,
                           List<String> classes, int limit, DType dtype) throws IOException {
        if (isIdx(file)) {
            if (idxLabels.isEmpty()) {
                throw new InvalidFileException(file, "", "IDX images need their labels file too (--labels, or "
                        + "data.trainLabels in the config).");
            }
            Dataset d = Datasets.idxImages(file, idxLabels.get(), limit, dtype);
            int k = (int) java.util.Arrays.stream(d.targets().toDoubleArray()).max().orElse(0) + 1;
            List<String> names = new ArrayList<>(classes);
            for (int c = names.size(); c < k; c++) {
                names.add(String.valueOf(c));
            }
            return new LoadedData(new LabeledTable(List.of(), "label", d.features(), d.targets().toDoubleArray(), names), file);
        }
        return new LoadedData(CsvTableReader.read(file, target, kind, classes, dtype), file);
    }

    /** Whether the file starts like an IDX file (plain or gzip-compressed). */
    static boolean isIdx(Path file) throws IOException {
        dev.nnkit.io.files.InputFiles.requireFile(file, "CSV or IDX data");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(3);
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            boolean plainIdx = head.length == 3 && head[0] == 0 && head[1] == 0 && head[2] >= 0x08 && head[2] <= 0x0E;
            return plainIdx || gzip && file.getFileName().toString().contains("idx");
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

    /** Applies a fitted normalizer to the features, in place. */
    void normalize(Optional<Normalizer> n) {
        n.ifPresent(x -> x.apply(table.features()));
    }

    /** The examples as a dataset with targets as wide as the loss wants. */
    Dataset dataset(int width, DType dtype, Path config) throws InvalidFileException {
        try {
            return new Dataset(table.features(), table.targets(width, dtype));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(config, "/layers", e.getMessage());
        }
    }
}
