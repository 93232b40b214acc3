package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import dev.nnkit.io.data.Normalizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame's examples, packed into one block per partition and cached on the executors for the
 * whole run. Examples are numbered in the DataFrame's partition order (partition 0's rows first,
 * in their order, then partition 1's …), as {@code zipWithIndex} numbers them: the local trainer
 * replays a run by reading the same rows in that order. Made by {@link SparkTrainer#examples}.
 */
public final class SparkExamples {
    final JavaRDD<ExampleBlock> blocks;
    /** The global index of each partition's first example. */
    final long[] firsts;
    /** Each partition's {@link ExampleBlock#checksum}, as first read. */
    final long[] checksums;
    private final int size;
    private final List<String> classes;
    final DType dtype;

    private final Shape sampleShape;

    private SparkExamples(JavaRDD<ExampleBlock> blocks, long[] firsts, long[] checksums, int size, List<String> classes,
                          DType dtype, Shape sampleShape) {
        this.sampleShape = sampleShape;
        this.checksums = checksums;
        this.blocks = blocks;
        this.firsts = firsts;
        this.size = size;
        this.classes = classes;
        this.dtype = dtype;
    }

    /** How many examples there are. */
    public int size() {
        return size;
    }

    /** Partitions, each one task per step. */
    public int partitions() {
        return firsts.length;
    }

    /** The class names by output index; empty for regression. */
    public List<String> classes() {
        return classes;
    }

    /**
     * The first {@code limit} examples (all, with {@code Integer.MAX_VALUE}) on the driver, as local
     * data: features as the network sees them (normalized), targets as the loss wants them. For
     * validation data and the training metric's sample, which must fit the driver's memory.
     */
    public Local collect(int limit) {
        long[] starts = firsts;
        List<ExampleBlock> head = SparkJobs.run(() -> blocks.mapPartitionsWithIndex((p, it) -> {
            List<ExampleBlock> out = new ArrayList<>();
            while (it.hasNext()) {
                ExampleBlock b = it.next();
                if (starts[p] < limit) {
                    out.add(b.head((int) Math.min(b.rows, limit - starts[p])));
                }
            }
            return out.iterator();
        }, true).collect());
        int n = 0;
        for (ExampleBlock b : head) {
            n += b.rows;
        }
        ExampleBlock first = head.get(0);
        double[] x = new double[n * first.featureWidth];
        double[] y = new double[n * first.targetWidth];
        int at = 0;
        for (ExampleBlock b : head) {
            for (int i = 0; i < b.rows * b.featureWidth; i++) {
                x[at * first.featureWidth + i] = b.feature(i);
            }
            for (int i = 0; i < b.rows * b.targetWidth; i++) {
                y[at * first.targetWidth + i] = b.target(i);
            }
            at += b.rows;
        }
        double[] truth = new double[n];
        for (int r = 0; r < n; r++) {
            if (first.targetWidth == 1) {
                truth[r] = y[r];
            } else {
                for (int k = 0; k < first.targetWidth; k++) {
                    if (y[r * first.targetWidth + k] == 1) {
                        truth[r] = k;
                    }
                }
            }
        }
        Dataset data = new Dataset(Tensor.of(dtype, sampleShape.withBatch(n), x), Tensor.of(dtype, Shape.of(n, first.targetWidth), y));
        return new Local(data, truth);
    }

    /**
     * Examples on the driver.
     *
     * @param data features and targets
     * @param truth each example's class index, or its target value for regression
     */
    public record Local(Dataset data, double[] truth) {
    }

    /** Frees the cached blocks on the executors. */
    public void release() {
        blocks.unpersist(false);
    }

    /**
     * Reads and checks the columns, and caches the examples.
     *
     * @param sampleShape the network's input shape (its features per example)
     * @param outputs the network's outputs
     * @param targetWidth target values per example the loss wants
     * @param classifies whether the loss wants class labels
     * @param normalizer applied to the features as they are read
     */
    static SparkExamples read(org.apache.spark.sql.Dataset<Row> frame, FrameColumns columns, Optional<Normalizer> normalizer, Shape sampleShape,
                              int outputs, int targetWidth, boolean classifies, DType dtype) {
        int inputSize = sampleShape.size();
        StructType schema = frame.schema();
        List<String> names = new ArrayList<>();
        if (columns.vector().isPresent()) {
            names.add(columns.vector().get());
            checkVector(schema, columns.vector().get());
        } else {
            if (columns.features().size() != inputSize) {
                throw new SparkTrainingException(columns.features().size() + " feature columns are given "
                        + columns.features() + ", but the network takes " + inputSize + " features.");
            }
            for (String f : columns.features()) {
                names.add(f);
                checkNumeric(frame, f, "feature");
            }
        }
        names.add(columns.label());
        DataType labelType = field(schema, columns.label(), "label").dataType();
        columns.weight().ifPresent(w -> {
            names.add(w);
            checkNumeric(frame, w, "weight");
        });
        RowFormat.LabelKind kind;
        List<String> classes;
        if (!classifies) {
            requireNumeric(frame, labelType, columns.label(), "label (the loss does regression)");
            if (targetWidth != 1) {
                throw new SparkTrainingException("The loss wants " + targetWidth + " target values per example, but nn-spark"
                        + " reads one label column '" + columns.label() + "'. Give the last layer 1 unit.");
            }
            kind = RowFormat.LabelKind.NUMBERS;
            classes = List.of();
        } else {
            int classCount = Math.max(2, outputs);
            if (labelType instanceof StringType) {
                kind = RowFormat.LabelKind.NAMES;
                classes = columns.classes().isEmpty() ? distinctLabels(frame, columns.label()) : columns.classes();
            } else {
                requireNumeric(frame, labelType, columns.label(), "label");
                kind = RowFormat.LabelKind.INDICES;
                classes = columns.classes().isEmpty() ? indices(classCount) : columns.classes();
            }
            if (classes.size() != classCount) {
                throw new SparkTrainingException("Column '" + columns.label() + "' has " + classes.size() + " classes "
                        + shortList(classes) + ", but the network has " + outputs + " output" + (outputs == 1 ? "" : "s")
                        + ". Give the last layer " + classes.size() + " units, one per class"
                        + (classes.size() == 2 ? " (or 1 with a binary loss)" : "") + ".");
            }
            if (targetWidth != 1 && targetWidth != classes.size()) {
                throw new SparkTrainingException("The loss wants " + targetWidth + " target values per example; a label"
                        + " column gives 1 (the class) or " + classes.size() + " (one-hot).");
            }
        }
        HashMap<String, Integer> classIndex = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }
        double[] shift = normalizer.map(n -> n.shift().stream().mapToDouble(Double::doubleValue).toArray())
                .orElse(new double[0]);
        double[] scale = normalizer.map(n -> n.scale().stream().mapToDouble(Double::doubleValue).toArray())
                .orElse(new double[0]);
        if (shift.length != 0 && shift.length != inputSize) {
            throw new IllegalArgumentException("The normalizer was fitted on " + shift.length + " features; the network takes "
                    + inputSize + ".");
        }
        RowFormat format = new RowFormat(names, columns.vector().isPresent(), inputSize, kind, classIndex, classes.size(),
                targetWidth, columns.weight().isPresent(), dtype, shift, scale);
        List<Column> selectedColumns = new ArrayList<>(names.stream().map(functions::col).toList());
        selectedColumns.add(functions.input_file_name()); // for messages: the file a bad row came from
        Column[] selected = selectedColumns.toArray(Column[]::new);
        JavaRDD<ExampleBlock> blocks = frame.select(selected).javaRDD().mapPartitionsWithIndex(new BlockBuilder(format), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<Tuple2<Long, String>> counts = SparkJobs.run(() -> blocks.map(b -> new Tuple2<>(b.checksum, b.failure != null
                ? b.failure : Integer.toString(b.rows))).collect());
        long[] firsts = new long[counts.size()];
        long[] checksums = new long[counts.size()];
        long total = 0;
        for (int p = 0; p < counts.size(); p++) {
            String rowsOrFailure = counts.get(p)._2();
            if (!rowsOrFailure.chars().allMatch(Character::isDigit)) {
                blocks.unpersist(false);
                throw new SparkTrainingException(rowsOrFailure);
            }
            firsts[p] = total;
            checksums[p] = counts.get(p)._1();
            total += Integer.parseInt(rowsOrFailure);
        }
        if (total == 0) {
            blocks.unpersist(false);
            throw new SparkTrainingException("The DataFrame has no rows to train on.");
        }
        if (total > Integer.MAX_VALUE) {
            blocks.unpersist(false);
            throw new SparkTrainingException("The DataFrame has " + total + " rows; a run trains on at most "
                    + Integer.MAX_VALUE + " (the epoch's order is held on the driver). Sample or split the data.");
        }
        return new SparkExamples(blocks, firsts, checksums, (int) total, List.copyOf(classes), dtype, sampleShape);
    }

    static StructField field(StructType schema, String name, String role) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new SparkTrainingException("The " + role + " column '" + name + "' is not in the DataFrame; its columns are "
                + List.of(schema.fieldNames()) + ".");
    }

    static void checkNumeric(org.apache.spark.sql.Dataset<Row> frame, String name, String role) {
        requireNumeric(frame, field(frame.schema(), name, role).dataType(), name, role);
    }

    private static void requireNumeric(org.apache.spark.sql.Dataset<Row> frame, DataType type, String name, String role) {
        if (!(type instanceof NumericType) && !(type instanceof BooleanType)) {
            throw new SparkTrainingException("The " + role + " column '" + name + "' is " + type.simpleString()
                    + ", not numeric" + firstNonNumber(frame, name, type) + ". Cast it (col(\"" + name
                    + "\").cast(\"double\")) or encode it first.");
        }
    }

    /** Where a text column's first value that is not a number is (CSV columns are read as text then), or "". */
    private static String firstNonNumber(org.apache.spark.sql.Dataset<Row> frame, String name, DataType type) {
        if (!(type instanceof StringType)) {
            return "";
        }
        Column value = functions.col(name);
        List<Row> bad = SparkJobs.run(() -> frame.select(value, functions.input_file_name())
                .filter(value.isNotNull().and(functions.expr("try_cast(`" + name.replace("`", "``") + "` AS DOUBLE)").isNull()))
                .limit(1).collectAsList());
        if (bad.isEmpty()) {
            return "";
        }
        String file = bad.get(0).getString(1);
        return ": '" + bad.get(0).get(0) + "' is not a number" + (file == null || file.isEmpty() ? "" : " (in " + file + ")");
    }

    private static void checkVector(StructType schema, String name) {
        DataType type = field(schema, name, "feature vector").dataType();
        boolean array = type instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!array && !type.typeName().equals("vector")) {
            throw new SparkTrainingException("The feature vector column '" + name + "' is " + type.simpleString()
                    + "; it must hold Spark ML vectors or arrays of numbers.");
        }
    }

    /** The label column's distinct values, sorted: the classes' order when none is given. */
    private static List<String> distinctLabels(org.apache.spark.sql.Dataset<Row> frame, String label) {
        List<Row> rows = SparkJobs.run(() -> frame.select(label).na().drop().distinct().collectAsList());
        if (rows.isEmpty()) {
            throw new SparkTrainingException("The DataFrame has no rows with a label in column '" + label
                    + "' to train on.");
        }
        return rows.stream().map(r -> r.get(0).toString()).sorted().toList();
    }

    private static List<String> indices(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    private static String shortList(List<String> items) {
        return items.size() <= 12 ? items.toString() : items.subList(0, 12) + " …";
    }
}
