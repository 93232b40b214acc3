package dev.nnkit.io.config;

import dev.nnkit.io.csv.Columns;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.api.tensor.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a training run's data comes from and how to read it. Immutable.
 *
 * @param format {@code csv} (a header row, one target column) or {@code idx} (image and label files)
 * @param train training data: a CSV file, or an IDX images file
 * @param trainLabels the IDX labels file for {@code train} (IDX only)
 * @param validation optional validation data, in the same format
 * @param validationLabels the IDX labels file for {@code validation} (IDX only)
 * @param target the CSV target column's name; empty for the last column
 * @param targetKind whether a CSV target holds class labels or numbers
 * @param normalize {@code none}, {@code standardize} or {@code min-max}, fitted on the training data
 * @param limit read at most this many examples of each file (IDX), ≥ 1
 * @param classNames names of the classes by index, for IDX labels (default "0", "1", …)
 * @param inputShape each sample's shape, when the config gives one (CSV)
 * @param validationSplit the fraction of the training file held out for validation, in (0, 1); 0
 *     for none (a {@code validation} file, or no validation)
 * @param normalizeTarget {@code none} or {@code standardize}: a numeric target trained on as
 *     (y − μ)/σ, fitted on the training data and undone at prediction
 * @param columns which CSV columns are features, and how missing cells and unknown categories are met
 */
public record DataSource(String format, Path train, Optional<Path> trainLabels, Optional<Path> validation,
                         Optional<Path> validationLabels, Optional<String> target, TargetKind targetKind,
                         String normalize, int limit, List<String> classNames, Optional<Shape> inputShape,
                         double validationSplit, String normalizeTarget, Columns.Options columns) {
    public DataSource {
        classNames = List.copyOf(classNames);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1); got " + validationSplit + ".");
        }
        if (validationSplit > 0 && validation.isPresent()) {
            throw new IllegalArgumentException("validation data comes from a file or from validationSplit, not both.");
        }
    }

    /** A source whose samples keep the shape the file gives them. */
    public DataSource(String format, Path train, Optional<Path> trainLabels, Optional<Path> validation,
                      Optional<Path> validationLabels, Optional<String> target, TargetKind targetKind,
                      String normalize, int limit, List<String> classNames) {
        this(format, train, trainLabels, validation, validationLabels, target, targetKind, normalize, limit, classNames,
                Optional.empty(), 0, "none", Columns.Options.defaults());
    }

    /**
     * The same source with other training and validation files (command-line overrides); a
     * validation file given here replaces a {@code validationSplit}.
     */
    public DataSource withFiles(Path newTrain, Optional<Path> newValidation) {
        return new DataSource(format, newTrain, trainLabels, newValidation, validationLabels, target, targetKind,
                normalize, limit, classNames, inputShape, newValidation.isPresent() ? 0 : validationSplit, normalizeTarget, columns);
    }

    /** Whether the run has validation data: a file, or a part of the training file. */
    public boolean hasValidation() {
        return validation.isPresent() || validationSplit > 0;
    }
}
