package dev.nnkit.io.model;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.csv.Columns;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.files.InputFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predictions from a saved model, for applications: load a model directory once, then predict
 * from rows of raw values, from values by feature name, from a CSV file or from a tensor, and get
 * class labels and probabilities, or regression values, by name.
 * <pre>{@code
 *   Predictor iris = Predictor.load(Path.of("runs/iris"));          // a run or model directory
 *   Prediction p = iris.predict(5.1, 3.5, 1.4, 0.2);                  // one row, raw values
 *   p.label();                                                        // "setosa"
 *   p.probability("versicolor");                                      // 0.0123…
 *   List<Prediction> all = iris.predictCsv(Path.of("new-flowers.csv"));
 * }</pre>
 * Raw values are the data as it was given to {@code nn train}: the model's normalizer is applied
 * here, and for a model trained on IDX images, pixels are whole numbers from 0 to 255 that are
 * divided as the IDX reader divided them. Predictions equal {@code nn predict}'s, bit for bit.
 *
 * <p><b>Threads.</b> A predictor is immutable and thread-safe: one instance serves any number of
 * threads at once, and every thread gets the bits a single thread gets. Don't train the
 * {@link #model()}'s network while it predicts.
 */
public final class Predictor {
    private final Model model;
    private final List<String> outputNames;

    private Predictor(Model model) {
        this.model = model;
        this.outputNames = outputNames(model);
    }

    /**
     * Loads the model in {@code dir} (a model directory, or a run directory written by {@code nn
     * train --out}) with the plugins found on the class or module path.
     *
     * @throws ModelNeedsPluginException when the model uses a layer, activation or loss no jar provides
     * @throws NewerModelFormatException when a newer nnkit wrote the model
     * @throws InvalidFileException for any other problem with the files, naming file and place
     */
    public static Predictor load(Path dir) throws IOException {
        return load(dir, PluginRegistry.discover());
    }

    /** As {@link #load(Path)}, with the plugins of {@code registry}. */
    public static Predictor load(Path dir, PluginRegistry registry) throws IOException {
        return new Predictor(ModelFiles.load(dir, registry, Safetensors.NonFinite.REJECT));
    }

    /** A predictor for a model in memory (e.g. one just trained). */
    public static Predictor of(Model model) {
        return new Predictor(model);
    }

    /** The model: network, normalizer, labels and provenance. */
    public Model model() {
        return model;
    }

    /** The feature names, in input order; empty for a model trained on IDX images. */
    public List<String> features() {
        return model.labels().features();
    }

    /** Raw values per row. */
    public int featureCount() {
        return model.network().inputSize();
    }

    /** Whether the model is a classifier (it has class labels) rather than a regression. */
    public boolean isClassifier() {
        return !model.labels().classes().isEmpty();
    }

    /** The class names, in output order; empty for a regression. */
    public List<String> classes() {
        return isClassifier() ? outputNames : List.of();
    }

    /**
     * The names of what a prediction holds: the classes, or the regression's outputs (the target
     * column's name for one output, {@code prediction_0}, {@code prediction_1}, … for several).
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The prediction for one row of {@link #featureCount()} raw values, in {@link #features()} order.
     *
     * @throws IllegalArgumentException for a row of the wrong length or with a value that is not a
     *     finite number (naming the feature), or one the model cannot predict for
     */
    public Prediction predict(double... row) {
        return predict(new double[][] {row}).get(0);
    }

    /**
     * The prediction for one row given by feature name.
     *
     * @throws IllegalArgumentException when a feature is missing or unknown, or as {@link #predict(double...)}
     */
    public Prediction predict(Map<String, ? extends Number> row) {
        List<String> names = features();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("This model's features have no names (it was trained on IDX images):"
                    + " give the " + featureCount() + " values in order, with predict(double...).");
        }
        List<String> unknown = row.keySet().stream().filter(k -> !names.contains(k)).toList();
        List<String> missing = names.stream().filter(k -> !row.containsKey(k)).toList();
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            throw new IllegalArgumentException((missing.isEmpty() ? "" : "Missing features " + missing + ". ")
                    + (unknown.isEmpty() ? "" : "Unknown features " + unknown + ". ") + "The model's features are " + names + ".");
        }
        double[] values = new double[names.size()];
        for (int i = 0; i < values.length; i++) {
            Number v = row.get(names.get(i));
            if (v == null) {
                throw new IllegalArgumentException("Feature '" + names.get(i) + "' is null; give a number.");
            }
            values[i] = v.doubleValue();
        }
        return predict(values);
    }

    /**
     * The predictions for rows of {@link #featureCount()} raw values each.
     *
     * @throws IllegalArgumentException as {@link #predict(double...)}, naming the row
     */
    public List<Prediction> predict(double[][] rows) {
        if (rows.length == 0) {
            return List.of();
        }
        int n = featureCount();
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(rows.length, n));
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != n) {
                throw new IllegalArgumentException("Row " + (r + 1) + " has " + (rows[r] == null ? "no array" : rows[r].length
                        + " values") + "; the model takes " + n + describeFeatures() + ".");
            }
            for (int c = 0; c < n; c++) {
                x.set(r * n + c, rows[r][c]);
            }
        }
        return predictions(inMemory(x));
    }

    /**
     * The predictions for the rows of {@code rows}: shape {@code [rows, featureCount]} or
     * {@code [rows, ...the model's input shape]}, any dtype, raw values. Not modified.
     *
     * @throws IllegalArgumentException as {@link #predict(double...)}, naming the row
     */
    public List<Prediction> predict(Tensor rows) {
        return predictions(outputs(rows));
    }

    /**
     * The predictions for the rows of a CSV file with a header: the model's feature columns (the
     * target column, if there, is not read).
     *
     * @throws InvalidFileException naming the file, line or row and column, and the fix
     */
    public List<Prediction> predictCsv(Path csv) throws IOException {
        InputFiles.requireFile(csv, "CSV data");
        LabeledTable t = readCsv(csv);
        return predictions(outputs(t.features(), t.featureNames(), csv, true));
    }

    /**
     * How the model reads a CSV's columns: as stored with it (categories, filled cells), or its
     * features by name; empty for a model without feature names (IDX images: a CSV of pixels is
     * read column by column).
     */
    public Optional<Columns> columns() {
        return model.columns().isPresent() ? model.columns()
                : features().isEmpty() ? Optional.empty() : Optional.of(Columns.numeric(features()));
    }

    /**
     * A CSV's features as the model takes them: its columns read by name (any order; other columns,
     * such as the target or ids, are not read), categories one-hot encoded and missing cells filled
     * as in training. The table's targets are zeros.
     *
     * @throws InvalidFileException naming the file, line and column, and the fix
     */
    public LabeledTable readCsv(Path csv) throws IOException {
        Optional<Columns> columns = columns();
        if (columns.isPresent()) {
            return CsvTableReader.readFeatures(csv, columns.get(), model.network().dtype());
        }
        String target = model.labels().target();
        return CsvTableReader.readFeatures(csv, target.isEmpty() ? Optional.empty() : Optional.of(target),
                model.network().dtype());
    }

    /**
     * What {@code nn predict --probabilities} computes for raw rows, as a tensor {@code [rows,
     * outputs]}: probabilities after the model's prediction activation, or regression values.
     *
     * @throws IllegalArgumentException as {@link #predict(Tensor)}
     */
    public Tensor outputs(Tensor rows) {
        if (rows.shape().rank() < 2 || rows.size() != rows.shape().dim(0) * featureCount()) {
            throw new IllegalArgumentException("rows of shape " + rows.shape() + " do not fit: the model takes [rows, "
                    + featureCount() + "] or [rows, " + model.network().inputShape() + "]" + describeFeatures() + ".");
        }
        return inMemory(rows.reshape(Shape.of(rows.shape().dim(0), featureCount())));
    }

    /**
     * The outputs for features read from {@code file} ({@code featureNames} its columns, empty for
     * IDX images): checked against the model's features, pixels divided when {@code rawPixels} and
     * the model was trained on IDX images, normalized, run, and refused when any output is NaN.
     * {@code features} is not modified.
     *
     * @throws InvalidFileException naming {@code file}, the row and feature, and the fix
     */
    public Tensor outputs(Tensor features, List<String> featureNames, Path file, boolean rawPixels)
            throws InvalidFileException {
        checkColumns(featureNames, file);
        if (features.shape().cols() != featureCount()) {
            throw new InvalidFileException(file, "", "has " + features.shape().cols() + " features per example; the model"
                    + " takes " + featureCount() + (model.network().inputShape().rank() > 1 ? " (samples of shape "
                    + model.network().inputShape() + ", one column per value)" : "") + ". Give every example the "
                    + featureCount() + " values the model was trained on.");
        }
        Tensor x = features;
        if (rawPixels && model.pixelScale().isPresent()) {
            x = features.copy();
            model.pixelScale().get().apply(x, featureNames, file);
        }
        Tensor p;
        try {
            p = model.predict(x);
        } catch (Normalizer.OverflowException e) {
            throw new InvalidFileException(file, place(e.row(), e.column(), featureNames), e.problem());
        }
        int row = firstNaNRow(p);
        if (row >= 0) {
            throw new InvalidFileException(file, "row " + (row + 1), nanOutput());
        }
        return p;
    }

    /**
     * Checks a file's feature columns ({@code columns}, without the target column) against the
     * model's, before any cell is read: names what is missing, what the model does not know, or
     * that only the order differs. A model or file without names passes.
     *
     * @throws InvalidFileException at line 1 of {@code file}
     */
    public void checkColumns(List<String> columns, Path file) throws InvalidFileException {
        List<String> want = features();
        if (want.isEmpty() || columns.isEmpty() || columns.equals(want)) {
            return;
        }
        List<String> missing = want.stream().filter(c -> !columns.contains(c)).toList();
        List<String> unknown = columns.stream().filter(c -> !want.contains(c)).toList();
        throw new InvalidFileException(file, "line 1", missing.isEmpty() && unknown.isEmpty()
                ? "the feature columns are the model's in another order; put them in the model's order: "
                        + InvalidFileException.quoteAll(want) + "."
                : "the feature columns differ from the model's " + InvalidFileException.quoteAll(want) + ":"
                        + (missing.isEmpty() ? "" : " missing " + InvalidFileException.quoteAll(missing) + ";")
                        + (unknown.isEmpty() ? "" : " not in the model " + InvalidFileException.quoteAll(unknown) + ";")
                        + " give the columns the model was trained on, in its order.");
    }

    /**
     * Outputs for rows in memory, converted to the model's dtype: the same checks as for a file,
     * reported as IllegalArgumentException by row and feature.
     */
    private Tensor inMemory(Tensor rows) {
        int n = featureCount();
        Tensor x = rows.to(model.network().dtype());
        for (int i = 0; i < x.size(); i++) {
            if (!Double.isFinite(rows.get(i)) || !Double.isFinite(x.get(i))) {
                throw new IllegalArgumentException("Row " + (i / n + 1) + ", " + place(-1, i % n, features()) + ": "
                        + rows.get(i) + (Double.isFinite(rows.get(i)) ? " is beyond the range of the model's "
                        + x.dtype().id() + " values" : " is not a number the model can take") + "; give a finite value"
                        + (Double.isFinite(rows.get(i)) ? " within it." : "."));
            }
        }
        try {
            return outputs(x, features(), Path.of("rows"), true);
        } catch (InvalidFileException e) { // the checks name rows and features, not a file
            throw new IllegalArgumentException(capitalized(e.place()) + ": " + e.problem(), e);
        }
    }

    private List<Prediction> predictions(Tensor p) {
        int rows = p.shape().dim(0);
        int k = p.shape().cols();
        List<Prediction> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            if (!isClassifier()) {
                double[] v = new double[k];
                for (int c = 0; c < k; c++) {
                    v[c] = p.get(r * k + c);
                }
                out.add(new Prediction(outputNames, v, -1));
            } else if (k == 1) { // one sigmoid output: the probability of the second class
                out.add(new Prediction(outputNames, new double[] {1 - p.get(r), p.get(r)}, Metrics.predictedClass(p, r, 1)));
            } else {
                double[] v = new double[k];
                for (int c = 0; c < k; c++) {
                    v[c] = p.get(r * k + c);
                }
                out.add(new Prediction(outputNames, v, Metrics.predictedClass(p, r, k)));
            }
        }
        return List.copyOf(out);
    }

    private static List<String> outputNames(Model m) {
        int k = m.network().outputSize();
        List<String> classes = m.labels().classes();
        List<String> names = new ArrayList<>();
        if (!classes.isEmpty()) {
            for (int c = 0; c < Math.max(k, 2); c++) { // one sigmoid output still names both classes
                names.add(c < classes.size() ? classes.get(c) : String.valueOf(c));
            }
        } else if (k == 1) {
            names.add(m.labels().target().isEmpty() ? "prediction" : m.labels().target());
        } else {
            for (int c = 0; c < k; c++) {
                names.add("prediction_" + c);
            }
        }
        return List.copyOf(names);
    }

    private static int firstNaNRow(Tensor p) {
        int cols = p.shape().cols();
        for (int i = 0; i < p.size(); i++) {
            if (Double.isNaN(p.get(i))) {
                return i / cols;
            }
        }
        return -1;
    }

    /** Why a NaN output is refused: a class chosen from NaN probabilities would be a confident wrong answer. */
    private static String nanOutput() {
        return "the model's output for this row is NaN (and so for any row with the same problem): the row holds"
                + " values the network overflows on, or the model's weights are damaged. Check the row, and the model"
                + " with nn inspect.";
    }

    private static String place(int row, int column, List<String> names) {
        return (row >= 0 ? "example " + (row + 1) + ", " : "") + "feature " + (column + 1)
                + (column < names.size() ? " (" + InvalidFileException.quote(names.get(column)) + ")" : "");
    }

    private String describeFeatures() {
        return features().isEmpty() ? "" : " features: " + InvalidFileException.quoteAll(features());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? "Input" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
