package dev.nnkit.io.csv;

import static dev.nnkit.io.InvalidFileException.quote;

import de.siegmar.fastcsv.reader.CsvRecord;
import dev.nnkit.api.plugin.Names;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a CSV file's columns become a model's input features, fitted on the training file and kept
 * with the model, so that every later file is read the same way, by column name (in any order,
 * extra columns ignored): which columns are inputs ({@code data.features} or {@code data.ignore});
 * which hold categories (a column of words: one-hot encoded, one feature {@code name=category} per
 * category, sorted); and what a missing cell (empty, {@code NA}, {@code NaN}, {@code null},
 * {@code ?}) becomes ({@code data.missing}: an error, or the training column's mean, median or
 * most frequent value). Immutable.
 *
 * @param inputs the input columns, in feature order
 * @param missing {@code error}, {@code mean}, {@code median} or {@code most-frequent}
 * @param ignoreUnknown whether a category the training file lacked becomes all zeros (else an error)
 */
public record Columns(List<Column> inputs, String missing, boolean ignoreUnknown) {
    /** The ways to fill a missing cell. */
    public static final List<String> MISSING = List.of("error", "mean", "median", "most-frequent");
    private static final Set<String> MISSING_CELLS = Set.of("", "na", "nan", "n/a", "null", "none", "?");
    /** A category is a word of at most this many characters. */
    static final int MAX_WORD = 100;
    private static final Pattern NUMBER_START = Pattern.compile("[+\\-.0-9].*|(?i:nan|inf|infinity)");

    /** More categories than this in one column is an id or free text, not a category. */
    static final int MAX_CATEGORIES = 1000;

    /**
     * One input column.
     *
     * @param name its header name
     * @param categories its categories in one-hot order; empty for a numeric column
     * @param fill what a missing cell becomes (a number's text, or a category); empty when missing
     *     cells are an error
     */
    public record Column(String name, List<String> categories, String fill) {
        public Column {
            categories = List.copyOf(categories);
        }

        public boolean categorical() {
            return !categories.isEmpty();
        }
    }

    public Columns {
        inputs = List.copyOf(inputs);
        if (!MISSING.contains(missing)) {
            throw new IllegalArgumentException("missing must be one of " + MISSING + "; got \"" + missing + "\".");
        }
    }

    /** Plain numeric columns, by name: how a model without stored columns reads a file. */
    public static Columns numeric(List<String> names) {
        return new Columns(names.stream().map(n -> new Column(n, List.of(), "")).toList(), "error", false);
    }

    /** Whether reading needs more than the names: a category, or a fill for missing cells. */
    public boolean encodes() {
        return inputs.stream().anyMatch(c -> c.categorical() || !c.fill().isEmpty());
    }

    /** The features the network takes, in order: a numeric column's name, a category column's {@code name=category}s. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (Column c : inputs) {
            if (c.categorical()) {
                c.categories().forEach(k -> names.add(c.name() + "=" + k));
            } else {
                names.add(c.name());
            }
        }
        return names;
    }

    /** The column names the model reads. */
    public List<String> names() {
        return inputs.stream().map(Column::name).toList();
    }

    /**
     * Chooses and fits the input columns of a training file.
     *
     * @param target the target column's index in {@code header}, never an input
     * @param features the columns to use, in order (empty: all but the target and {@code ignore})
     * @param ignore columns to leave out
     * @param config the config file, for messages about {@code features} and {@code ignore}
     */
    static Columns fit(Path file, List<CsvRecord> records, List<String> header, int target, List<String> features,
                       List<String> ignore, String missing, boolean ignoreUnknown, Path config)
            throws InvalidFileException {
        for (String name : ignore) {
            requireColumn(config, "/data/ignore", name, header);
            if (name.equals(header.get(target))) {
                throw new InvalidFileException(config, "/data/ignore", quote(name) + " is the target column, which is "
                        + "never a feature; to train on another target, name it in \"target\".");
            }
        }
        List<String> chosen = new ArrayList<>();
        if (!features.isEmpty()) {
            for (String name : features) {
                requireColumn(config, "/data/features", name, header);
                if (name.equals(header.get(target))) {
                    throw new InvalidFileException(config, "/data/features", quote(name) + " is the target column; "
                            + "a feature cannot be the target. Remove it from \"features\".");
                }
                chosen.add(name);
            }
        } else {
            for (int c = 0; c < header.size(); c++) {
                if (c != target && !ignore.contains(header.get(c))) {
                    chosen.add(header.get(c));
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new InvalidFileException(config, "/data", "no feature columns are left (the file has "
                    + columnList(header) + "); use fewer in \"ignore\".");
        }
        List<Column> inputs = new ArrayList<>();
        for (String name : chosen) {
            inputs.add(fitColumn(file, records, header, header.indexOf(name), missing));
        }
        return new Columns(inputs, missing, ignoreUnknown);
    }

    private static void requireColumn(Path config, String pointer, String name, List<String> header)
            throws InvalidFileException {
        if (!header.contains(name)) {
            String hint = Names.nearest(name, header).map(n -> " Did you mean " + quote(n) + "?").orElse("");
            throw new InvalidFileException(config, pointer, "the data has no column " + quote(name) + "." + hint
                    + " Columns: " + columnList(header) + ".");
        }
    }

    /** A column as numbers, or as categories when its cells are words. */
    private static Column fitColumn(Path file, List<CsvRecord> records, List<String> header, int c, String missing)
            throws InvalidFileException {
        int rows = records.size() - 1;
        int numbers = 0;
        int words = 0;
        long firstWordLine = -1;
        String firstWord = null;
        long firstMissingLine = -1;
        String firstMissingCell = "";
        List<Double> values = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (int r = 0; r < rows; r++) {
            CsvRecord rec = records.get(r + 1);
            String cell = cell(file, rec, header, c);
            if (isMissing(cell)) {
                if (firstMissingLine < 0) {
                    firstMissingLine = rec.getStartingLineNumber();
                    firstMissingCell = cell;
                }
                continue;
            }
            counts.merge(cell, 1, Integer::sum);
            if (numberLike(cell)) { // a number, or a malformed one (0x1p2, 5.1d, 1e999, -Infinity): never a category
                values.add(CsvTableReader.number(file, rec.getStartingLineNumber(), c, header, cell, DType.FLOAT64));
                numbers++;
            } else {
                if (cell.length() > MAX_WORD || cell.chars().anyMatch(Character::isISOControl)) {
                    throw cellError(file, rec.getStartingLineNumber(), c, header, quote(cell) + " is not a number, nor a "
                            + "category (a word of at most " + MAX_WORD + " printable characters).");
                }
                words++;
                if (firstWord == null) {
                    firstWord = cell;
                    firstWordLine = rec.getStartingLineNumber();
                }
            }
        }
        if (firstMissingLine >= 0 && missing.equals("error")) {
            throw cellError(file, firstMissingLine, c, header, (firstMissingCell.isEmpty() ? "the cell is missing"
                    : quote(firstMissingCell) + " is not a finite number (a missing value)") + "; fill it in, drop the row, or let "
                    + "nnkit fill missing cells from the training data with \"missing\": \"mean\" (or \"median\", "
                    + "\"most-frequent\") in \"data\".");
        }
        if (numbers + words == 0) {
            throw new InvalidFileException(file, "column " + (c + 1) + " (" + quote(header.get(c)) + ")", "every cell is "
                    + "missing; drop the column (\"ignore\" in \"data\").");
        }
        boolean categorical = words > 0;
        if (categorical && numbers >= words) { // mostly numbers: a typo, not a column of categories
            throw cellError(file, firstWordLine, c, header, quote(firstWord) + " is not a number, and most of the "
                    + "column is numbers; write plain decimals such as 3, -0.25 or 1.5e-3 (a column of categories holds "
                    + "words).");
        }
        if (categorical && counts.size() > Math.min(MAX_CATEGORIES, Math.max(20, rows / 2))) {
            throw new InvalidFileException(file, "column " + (c + 1) + " (" + quote(header.get(c)) + ")", "holds "
                    + counts.size() + " different words in " + rows + " rows: an id or free text, not a category. Leave "
                    + "it out with \"ignore\": [" + quote(header.get(c)).replace('\'', '"') + "] in \"data\".");
        }
        List<String> categories = categorical ? List.copyOf(counts.keySet()) : List.of();
        String fill = ""; // with a strategy, every column gets one: a later file may miss cells the training file had
        if (!missing.equals("error")) {
            fill = categorical || missing.equals("most-frequent") ? mostFrequent(counts)
                    : number(missing.equals("mean") ? mean(values) : median(values));
        }
        return new Column(header.get(c), categories, fill);
    }

    /**
     * The input features of every row, by column name.
     *
     * @throws InvalidFileException naming the line and column: a column the model needs that the
     *     file lacks, a missing cell without a fill, a non-number in a numeric column, a category the
     *     model does not know
     */
    Tensor encode(Path file, List<CsvRecord> records, List<String> header, DType dtype) throws InvalidFileException {
        int[] at = new int[inputs.size()];
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            at[i] = header.indexOf(inputs.get(i).name());
            if (at[i] < 0) {
                absent.add(inputs.get(i).name());
            }
        }
        if (!absent.isEmpty()) {
            List<String> unused = header.stream().filter(h -> !names().contains(h)).toList();
            String hint = absent.size() == 1 ? Names.nearest(absent.get(0), unused).map(n -> " (" + quote(n)
                    + " is there: renamed?)").orElse("") : "";
            throw new InvalidFileException(file, "line 1", "no column " + String.join(", ", absent.stream()
                    .map(InvalidFileException::quote).toList()) + hint + ", which the model reads; it needs "
                    + columnList(names()) + " (in any order; other columns are ignored).");
        }
        List<Map<String, Integer>> index = new ArrayList<>();
        for (Column c : inputs) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < c.categories().size(); k++) {
                m.put(c.categories().get(k), k);
            }
            index.add(m);
        }
        int rows = records.size() - 1;
        int width = featureNames().size();
        Tensor x = CsvTableReader.featureTensor(file, rows, width, dtype);
        for (int r = 0; r < rows; r++) {
            CsvRecord rec = records.get(r + 1);
            long line = rec.getStartingLineNumber();
            int f = r * width;
            for (int i = 0; i < inputs.size(); i++) {
                Column c = inputs.get(i);
                String cell = cell(file, rec, header, at[i]);
                if (isMissing(cell)) {
                    if (c.fill().isEmpty()) {
                        throw cellError(file, line, at[i], header, "the cell is missing, and the model was trained "
                                + "without missing values in this column (so it has no value to fill in); fill it in or "
                                + "drop the row.");
                    }
                    cell = c.fill();
                }
                if (!c.categorical()) {
                    x.set(f++, CsvTableReader.number(file, line, at[i], header, cell, dtype));
                    continue;
                }
                Integer k = index.get(i).get(cell);
                if (k == null && !ignoreUnknown) {
                    throw cellError(file, line, at[i], header, "the category " + quote(cell) + " was not in the training "
                            + "data; the model knows " + columnList(c.categories()) + ". Fix the cell, or train with "
                            + "\"unknownCategories\": \"ignore\" in \"data\" (an unknown category then counts as none).");
                }
                if (k != null) {
                    x.set(f + k, 1);
                }
                f += c.categories().size();
            }
        }
        return x;
    }

    private static String cell(Path file, CsvRecord rec, List<String> header, int c) throws InvalidFileException {
        if (rec.getFieldCount() != header.size()) {
            throw new InvalidFileException(file, "line " + rec.getStartingLineNumber(), "the row has "
                    + rec.getFieldCount() + " fields but the header has " + header.size() + "; every row needs one value "
                    + "per column.");
        }
        return rec.getField(c).strip();
    }

    /** Starts like a number (a digit, sign or point) or is a non-finite one's name: read as a number or refused. */
    private static boolean numberLike(String cell) {
        return NUMBER_START.matcher(cell).matches();
    }

    static boolean isMissing(String cell) {
        return MISSING_CELLS.contains(cell.toLowerCase(java.util.Locale.ROOT));
    }

    private static String mostFrequent(Map<String, Integer> counts) {
        String best = null;
        for (Map.Entry<String, Integer> e : counts.entrySet()) { // sorted: ties go to the first in order
            if (best == null || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static double mean(List<Double> v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.size();
    }

    /** The middle value, or the mean of the two middle values (numpy's median). */
    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static String number(double v) {
        return Double.toString(v);
    }

    private static String columnList(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names.stream().map(InvalidFileException::quote).toList())
                : String.join(", ", names.subList(0, 20).stream().map(InvalidFileException::quote).toList())
                + " … (" + names.size() + " in all)";
    }

    private static InvalidFileException cellError(Path file, long line, int c, List<String> header, String problem) {
        return new InvalidFileException(file, "line " + line + ", column " + (c + 1) + " (" + quote(header.get(c)) + ")",
                problem);
    }

    /** The options a config gives for reading a training file's columns. */
    public record Options(List<String> features, List<String> ignore, String missing, boolean ignoreUnknown) {
        public Options {
            features = List.copyOf(features);
            ignore = List.copyOf(ignore);
        }

        /** Every column but the target; missing cells are an error; unknown categories too. */
        public static Options defaults() {
            return new Options(List.of(), List.of(), "error", false);
        }
    }

    /** As JSON-ready values for model.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> cols = new ArrayList<>();
        for (Column c : inputs) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", c.name());
            if (c.categorical()) {
                o.put("categories", c.categories());
            }
            if (!c.fill().isEmpty()) {
                o.put("fill", c.fill());
            }
            cols.add(o);
        }
        m.put("inputs", cols);
        m.put("missing", missing);
        m.put("unknownCategories", ignoreUnknown ? "ignore" : "error");
        return m;
    }
}
