package dev.nnkit.io.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.api.plugin.Names;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a CSV file with a header row (parsed by FastCSV) into a {@link LabeledTable}. The target
 * column is chosen by name (default: the last column). A target column whose cells are all
 * numbers stays numeric; otherwise its distinct labels become classes, in sorted order, unless the
 * caller passes the classes a model was trained with. Every malformed cell is reported with its
 * line and column.
 */
public final class CsvTableReader {
    private CsvTableReader() {
    }

    /** How to read the target column. */
    public enum TargetKind {
        /** Numbers if every cell is a number, else class labels. */
        AUTO,
        /** Class labels, even when they are numbers such as 0 and 1. */
        CLASSES,
        /** Numbers (regression). */
        NUMBERS
    }

    /**
     * @param target the target column's name; empty for the last column
     * @param kind how to read the target column
     * @param knownClasses the class labels of a trained model (empty: infer from this file)
     */
    public static LabeledTable read(Path file, Optional<String> target, TargetKind kind, List<String> knownClasses,
                                    DType dtype) throws IOException {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().allowMissingFields(true).allowExtraFields(true)
                .skipEmptyLines(true).ofCsvRecord(file)) {
            reader.forEach(records::add);
        } catch (CsvParseException | UncheckedIOException e) {
            throw new InvalidFileException(file, "", "not valid CSV: " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new InvalidFileException(file, "", "the file is empty; expected a header row and data rows.");
        }
        List<String> header = records.get(0).getFields().stream().map(String::trim).toList();
        if (header.size() < 2) {
            throw new InvalidFileException(file, "line 1", "the header has " + header.size()
                    + " column; expected at least one feature and one target, separated by commas.");
        }
        int t = target.map(name -> header.indexOf(name)).orElse(header.size() - 1);
        if (t < 0) {
            String hint = Names.nearest(target.get(), header).map(n -> " Did you mean '" + n + "'?").orElse("");
            throw new InvalidFileException(file, "line 1", "no column named '" + target.get() + "'." + hint
                    + " Columns: " + String.join(", ", header) + ".");
        }
        if (records.size() < 2) {
            throw new InvalidFileException(file, "", "the file has a header but no data rows.");
        }
        List<String> features = new ArrayList<>(header);
        features.remove(t);
        int rows = records.size() - 1;
        Tensor x = Tensor.zeros(dtype, dev.nnkit.api.tensor.Shape.of(rows, features.size()));
        String[] labels = new String[rows];
        for (int r = 0; r < rows; r++) {
            CsvRecord rec = records.get(r + 1);
            long line = rec.getStartingLineNumber();
            if (rec.getFieldCount() != header.size()) {
                throw new InvalidFileException(file, "line " + line, "the row has " + rec.getFieldCount()
                        + " fields but the header has " + header.size() + "; every row needs one value per column.");
            }
            for (int c = 0, f = 0; c < header.size(); c++) {
                String cell = rec.getField(c).trim();
                if (c == t) {
                    labels[r] = cell;
                    if (cell.isEmpty()) {
                        throw cellError(file, line, c, header, cell, "the target is empty; every row needs a target.");
                    }
                } else {
                    x.set(r * features.size() + f++, number(file, line, c, header, cell));
                }
            }
        }
        return targets(file, header.get(t), features, x, labels, kind, knownClasses, records, t);
    }

    private static LabeledTable targets(Path file, String name, List<String> features, Tensor x, String[] labels,
                                        TargetKind kind, List<String> knownClasses, List<CsvRecord> records, int t)
            throws InvalidFileException {
        double[] y = new double[labels.length];
        boolean numeric = true;
        for (int r = 0; numeric && r < labels.length; r++) {
            Optional<Double> v = parse(labels[r]);
            numeric = v.isPresent();
            y[r] = v.orElse(0.0);
        }
        if (kind == TargetKind.NUMBERS && !numeric) {
            for (int r = 0; r < labels.length; r++) {
                number(file, records.get(r + 1).getStartingLineNumber(), t, records.get(0).getFields(), labels[r]);
            }
        }
        if (knownClasses.isEmpty() && (kind == TargetKind.NUMBERS || kind == TargetKind.AUTO && numeric)) {
            return new LabeledTable(features, name, x, y, List.of());
        }
        // Numeric labels sort as numbers (2 before 10); others alphabetically.
        java.util.Comparator<String> order = numeric
                ? java.util.Comparator.comparingDouble(Double::parseDouble) : java.util.Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(List.of(labels));
        List<String> classes = knownClasses.isEmpty() ? List.copyOf(distinct) : knownClasses;
        for (int r = 0; r < labels.length; r++) {
            y[r] = classes.indexOf(labels[r]);
            if (y[r] < 0) {
                throw new InvalidFileException(file, "line " + records.get(r + 1).getStartingLineNumber() + ", column "
                        + (t + 1) + " ('" + name + "')", "unknown class '" + labels[r] + "'; the model knows "
                        + classes + ".");
            }
        }
        return new LabeledTable(features, name, x, y, classes);
    }

    private static double number(Path file, long line, int c, List<String> header, String cell) throws InvalidFileException {
        if (cell.isEmpty()) {
            throw cellError(file, line, c, header, cell, "the cell is empty; fill in a number or drop the row.");
        }
        return parse(cell).orElseThrow(() -> cellError(file, line, c, header, cell,
                "'" + cell + "' is not a finite number; features must be numeric."));
    }

    private static Optional<Double> parse(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static InvalidFileException cellError(Path file, long line, int c, List<String> header, String cell,
                                                  String problem) {
        return new InvalidFileException(file, "line " + line + ", column " + (c + 1) + " ('" + header.get(c) + "')",
                problem);
    }
}
