package dev.nnkit.io.csv;

import static dev.nnkit.io.InvalidFileException.quote;

import de.siegmar.fastcsv.reader.CsvRecord;
import dev.nnkit.api.plugin.Names;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a CSV file with a header row (parsed by FastCSV) into a {@link LabeledTable}. The target
 * column is chosen by name (default: the last column). A target column whose cells are all
 * numbers stays numeric; otherwise its distinct labels become classes, in sorted order, unless the
 * caller passes the classes a model was trained with. Every malformed cell is reported with its
 * line and column.
 *
 * <p>The file must be UTF-8 text (a byte-order mark is dropped); binary files, duplicate column
 * names and cells that are not plain decimal numbers are refused. Quoted cells may span lines; the
 * line numbers in messages are those of the file. Numbers are what pandas and numpy read as
 * numbers, less the non-finite ones: an optional sign, digits with an optional decimal point, an
 * optional exponent ({@code 3}, {@code -0.5}, {@code +2}, {@code .5}, {@code 1e-3}). Hex floats
 * ({@code 0x1.4p2}), Java suffixes ({@code 5.1d}, {@code 3.5f}), {@code NaN} and {@code Infinity}
 * are not numbers.
 */
public final class CsvTableReader {
    /** The most columns a file may have (FastCSV's default, 16,384, is too few for wide data). */
    public static final int MAX_COLUMNS = CsvRecords.MAX_COLUMNS;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?i:nan|inf|infinity)");

    private CsvTableReader() {
    }

    /** How to read the target column. */
    public enum TargetKind {
        /** Numbers if every cell is a number, else class labels. */
        AUTO,
        /** Class labels, even when they are numbers such as 0 and 1. */
        CLASSES,
        /** Numbers (regression). */
        NUMBERS,
        /**
         * Class labels when every cell is a whole number (0, 1, 2; in int's range) or a label; numbers
         * when they are fractions (soft targets such as 0.3). What {@code AUTO} means for a
         * classification loss.
         */
        CLASSES_IF_WHOLE
    }

    /**
     * @param target the target column's name; empty for the last column
     * @param kind how to read the target column
     * @param knownClasses the class labels of a trained model (empty: infer from this file)
     */
    public static LabeledTable read(Path file, Optional<String> target, TargetKind kind, List<String> knownClasses,
                                    DType dtype) throws IOException {
        List<CsvRecord> records = CsvRecords.records(file);
        List<String> header = header(file, records);
        int t = targetColumn(file, header, target);
        List<String> features = new ArrayList<>(header);
        features.remove(t);
        String[] labels = new String[records.size() - 1];
        Tensor x = features(file, records, header, t, dtype, labels);
        return targets(file, header, features, x, labels, kind, knownClasses, records, t, dtype);
    }

    /** The target column's index: the named one, or the last; a header of one column has no features. */
    private static int targetColumn(Path file, List<String> header, Optional<String> target) throws InvalidFileException {
        if (header.size() < 2) {
            throw new InvalidFileException(file, "line 1", "the header has " + header.size()
                    + " column; expected at least one feature and one target, separated by commas.");
        }
        int t = target.map(header::indexOf).orElse(header.size() - 1);
        if (t < 0) {
            String hint = Names.nearest(target.get(), header).map(n -> " Did you mean " + quote(n) + "?").orElse("");
            throw new InvalidFileException(file, "line 1", "no column named " + quote(target.get()) + "." + hint
                    + " Columns: " + columnList(header) + ".");
        }
        return t;
    }

    /** A zero tensor of {@code rows} × {@code cols} features, refused when one tensor cannot hold it. */
    static Tensor featureTensor(Path file, int rows, int cols, DType dtype) throws InvalidFileException {
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new InvalidFileException(file, "", rows + " rows × " + cols + " features is more than one tensor can "
                    + "hold (2³¹ − 1 values); split the file.");
        }
        return Tensor.zeros(dtype, Shape.of(rows, cols));
    }

    /** A table and how its columns were read. */
    public record Encoded(LabeledTable table, Columns columns) {
    }

    /**
     * Reads a training file: the target column as {@link #read(Path, Optional, TargetKind, List,
     * DType)} does, the input columns chosen and fitted by {@code options} (categories one-hot,
     * missing cells filled), or read as {@code given} columns were fitted (validation data).
     *
     * @param config the config file, named in messages about {@code data.features} and {@code data.ignore}
     */
    public static Encoded read(Path file, Optional<String> target, TargetKind kind, List<String> knownClasses,
                               DType dtype, Columns.Options options, Optional<Columns> given, Path config)
            throws IOException {
        List<CsvRecord> records = CsvRecords.records(file);
        List<String> header = header(file, records);
        int t = targetColumn(file, header, target);
        Columns columns = given.isPresent() ? given.get() : Columns.fit(file, records, header, t, options.features(),
                options.ignore(), options.missing(), options.ignoreUnknown(), config);
        String[] labels = new String[records.size() - 1];
        for (int r = 0; r < labels.length; r++) {
            CsvRecord rec = records.get(r + 1);
            if (rec.getFieldCount() != header.size()) {
                throw new InvalidFileException(file, "line " + rec.getStartingLineNumber(), "the row has "
                        + rec.getFieldCount() + " fields but the header has " + header.size() + "; every row needs one "
                        + "value per column.");
            }
            labels[r] = rec.getField(t).strip();
            if (Columns.isMissing(labels[r])) {
                throw cellError(file, rec.getStartingLineNumber(), t, header, (labels[r].isEmpty() ? "the target is empty"
                        : "the target " + quote(labels[r]) + " is not a finite number (a missing value)")
                        + "; every row needs a target: fill it "
                        + "in or drop the row.");
            }
        }
        Tensor x = columns.encode(file, records, header, dtype);
        return new Encoded(targets(file, header, columns.featureNames(), x, labels, kind, knownClasses, records, t, dtype),
                columns);
    }

    /**
     * A file's input features for prediction, read by column name as {@code columns} says (in any
     * order; other columns, such as the target or ids, are not read). The table's targets are zeros.
     */
    public static LabeledTable readFeatures(Path file, Columns columns, DType dtype) throws IOException {
        List<CsvRecord> records = CsvRecords.records(file);
        List<String> header = header(file, records);
        Tensor x = columns.encode(file, records, header, dtype);
        return new LabeledTable(columns.featureNames(), "", x, new double[records.size() - 1], List.of());
    }

    /** The cells of {@code names}' columns, row by row (for {@code nn predict --keep}). */
    public static List<List<String>> cells(Path file, List<String> names) throws IOException {
        List<CsvRecord> records = CsvRecords.records(file);
        List<String> header = header(file, records);
        int[] at = new int[names.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = header.indexOf(names.get(i));
            if (at[i] < 0) {
                String hint = Names.nearest(names.get(i), header).map(n -> " Did you mean " + quote(n) + "?").orElse("");
                throw new InvalidFileException(file, "line 1", "no column named " + quote(names.get(i)) + " to keep."
                        + hint + " Columns: " + columnList(header) + ".");
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecord rec : records.subList(1, records.size())) {
            List<String> row = new ArrayList<>();
            for (int c : at) {
                row.add(c < rec.getFieldCount() ? rec.getField(c) : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The header's column names, without reading the rows: to check a file's columns before its
     * cells are parsed (a wrong file then gets "wrong columns", not an error in some cell).
     */
    public static List<String> header(Path file) throws IOException {
        return CsvRecords.header(file);
    }

    /**
     * Reads a file's features for prediction: every column but {@code ignored} (when the file has a
     * column of that name, e.g. the target a model was trained on; its cells are not read). The
     * table's target name is empty and its targets are zeros.
     */
    public static LabeledTable readFeatures(Path file, Optional<String> ignored, DType dtype) throws IOException {
        List<CsvRecord> records = CsvRecords.records(file);
        List<String> header = header(file, records);
        int t = ignored.map(header::indexOf).orElse(-1);
        Tensor x = features(file, records, header, t, dtype, null);
        List<String> features = new ArrayList<>(header);
        if (t >= 0) {
            features.remove(t);
        }
        return new LabeledTable(features, "", x, new double[records.size() - 1], List.of());
    }

    private static List<String> header(Path file, List<CsvRecord> records) throws InvalidFileException {
        List<String> header = CsvRecords.names(file, records.get(0));
        if (records.size() < 2) {
            throw new InvalidFileException(file, "", "the file has a header but no data rows.");
        }
        return header;
    }

    /**
     * The feature columns (all but {@code t}; all when {@code t} is -1); the target cells go to
     * {@code labels}, or are skipped when it is null.
     */
    private static Tensor features(Path file, List<CsvRecord> records, List<String> header, int t, DType dtype,
                                   String[] labels) throws InvalidFileException {
        int rows = records.size() - 1;
        int cols = header.size() - (t >= 0 ? 1 : 0);
        Tensor x = featureTensor(file, rows, cols, dtype);
        for (int r = 0; r < rows; r++) {
            CsvRecord rec = records.get(r + 1);
            long line = rec.getStartingLineNumber();
            if (rec.getFieldCount() != header.size()) {
                throw new InvalidFileException(file, "line " + line, "the row has " + rec.getFieldCount()
                        + " fields but the header has " + header.size() + "; every row needs one value per column.");
            }
            for (int c = 0, f = 0; c < header.size(); c++) {
                String cell = rec.getField(c).strip();
                if (c == t) {
                    if (labels == null) {
                        continue;
                    }
                    labels[r] = cell;
                    if (cell.isEmpty()) {
                        throw cellError(file, line, c, header, "the target is empty; every row needs a target.");
                    }
                } else {
                    x.set(r * cols + f++, number(file, line, c, header, cell, dtype));
                }
            }
        }
        return x;
    }

    private static LabeledTable targets(Path file, List<String> header, List<String> features, Tensor x, String[] labels,
                                        TargetKind kind, List<String> knownClasses, List<CsvRecord> records, int t,
                                        DType dtype) throws InvalidFileException {
        double[] y = new double[labels.length];
        boolean numeric = true;
        for (int r = 0; numeric && r < labels.length; r++) {
            Optional<Double> v = parse(labels[r]);
            numeric = v.isPresent();
            y[r] = v.orElse(0.0);
        }
        String name = header.get(t);
        if (kind == TargetKind.CLASSES_IF_WHOLE) {
            kind = !numeric ? TargetKind.AUTO : allWhole(y) ? TargetKind.CLASSES : TargetKind.NUMBERS;
        }
        if (kind == TargetKind.AUTO && knownClasses.isEmpty() && !numeric) {
            // Numbers with a few NaN or Infinity cells are a numeric target with bad cells, not classes.
            boolean numbersOrNonFinite = true;
            boolean someNumber = false;
            for (int r = 0; numbersOrNonFinite && r < labels.length; r++) {
                boolean isNumber = parse(labels[r]).isPresent();
                someNumber |= isNumber;
                numbersOrNonFinite = isNumber || NON_FINITE.matcher(labels[r]).matches();
            }
            if (numbersOrNonFinite && someNumber) {
                kind = TargetKind.NUMBERS;
            }
            refuseTyposInNumbers(file, header, labels, records, t);
        }
        if (knownClasses.isEmpty() && (kind == TargetKind.NUMBERS || kind == TargetKind.AUTO && numeric)) {
            for (int r = 0; r < labels.length; r++) { // the range and the message of each non-number
                y[r] = number(file, records.get(r + 1).getStartingLineNumber(), t, header, labels[r], dtype);
            }
            return new LabeledTable(features, name, x, y, List.of());
        }
        // Numeric labels sort as numbers (2 before 10); others alphabetically.
        java.util.Comparator<String> order = numeric
                ? java.util.Comparator.comparingDouble(Double::parseDouble) : java.util.Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(List.of(labels));
        List<String> classes = knownClasses.isEmpty() ? List.copyOf(distinct) : knownClasses;
        Map<String, Integer> index = new HashMap<>();
        for (int i = classes.size() - 1; i >= 0; i--) {
            index.put(classes.get(i), i);
        }
        for (int r = 0; r < labels.length; r++) {
            Integer i = index.get(labels[r]);
            if (i == null) {
                throw cellError(file, records.get(r + 1).getStartingLineNumber(), t, header,
                        "unknown class " + quote(labels[r]) + "; the model knows " + classList(classes) + ".");
            }
            y[r] = i;
        }
        return new LabeledTable(features, name, x, y, classes);
    }

    /**
     * A target column of numbers with a few words in it is a regression target with typos, not a
     * few hundred classes: refused at the first word unless the column is mostly words.
     */
    private static void refuseTyposInNumbers(Path file, List<String> header, String[] labels, List<CsvRecord> records,
                                             int t) throws InvalidFileException {
        int numbers = 0;
        int first = -1;
        for (int r = 0; r < labels.length; r++) {
            if (parse(labels[r]).isPresent()) {
                numbers++;
            } else if (first < 0) {
                first = r;
            }
        }
        if (first >= 0 && numbers > labels.length / 2 && new java.util.HashSet<>(List.of(labels)).size() > 20) {
            throw cellError(file, records.get(first + 1).getStartingLineNumber(), t, header, quote(labels[first])
                    + " is not a number, and most of the target column is numbers; fix the cell (or, if the column "
                    + "holds class labels, say \"labels\": \"classes\" in \"data\").");
        }
    }

    static double number(Path file, long line, int c, List<String> header, String cell, DType dtype)
            throws InvalidFileException {
        if (cell.isEmpty()) {
            throw cellError(file, line, c, header, "the cell is empty; fill in a number or drop the row.");
        }
        if (NON_FINITE.matcher(cell).matches()) {
            throw cellError(file, line, c, header, quote(cell) + " is not a finite number (a missing or infinite "
                    + "value); fill in a number or drop the row.");
        }
        if (!DECIMAL.matcher(cell).matches()) {
            throw cellError(file, line, c, header, quote(cell) + " is not a number; write plain decimals such as 3, "
                    + "-0.25 or 1.5e-3.");
        }
        double v = Double.parseDouble(cell);
        if (Double.isInfinite(v)) {
            throw cellError(file, line, c, header, quote(cell) + " is too large for a number (beyond ±1.8e308).");
        }
        if (dtype == DType.FLOAT32 && Math.abs(v) > Float.MAX_VALUE) {
            throw cellError(file, line, c, header, quote(cell) + " is beyond float32's range (±3.4e38); rescale the "
                    + "column, or train in float64 (\"dtype\": \"float64\" in the config).");
        }
        return v;
    }

    /** The cell as a finite number, if it is a plain decimal. */
    private static Optional<Double> parse(String s) {
        if (!DECIMAL.matcher(s).matches()) {
            return Optional.empty();
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
    }

    private static String columnList(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names.stream().map(InvalidFileException::quote).toList())
                : String.join(", ", names.subList(0, 20).stream().map(InvalidFileException::quote).toList())
                + " … (" + names.size() + " in all)";
    }

    /** Every value a whole number in int's range: codes such as 0/1/2, not 1e300 or 0.3. */
    private static boolean allWhole(double[] values) {
        for (double v : values) {
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static String classList(List<String> classes) {
        return "[" + columnList(classes) + "]";
    }

    private static InvalidFileException cellError(Path file, long line, int c, List<String> header, String problem) {
        String column = c < header.size() ? " (" + quote(header.get(c)) + ")" : "";
        return new InvalidFileException(file, "line " + line + ", column " + (c + 1) + column, problem);
    }
}
