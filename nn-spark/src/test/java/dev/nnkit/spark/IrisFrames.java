package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The iris example's training file, read by Spark's CSV reader, and the same rows for the local trainer. */
final class IrisFrames {
    static final Path TRAIN = Path.of("..", "examples", "iris", "train.csv");
    static final FrameColumns COLUMNS = FrameColumns
            .features("sepal_length", "sepal_width", "petal_length", "petal_width").label("species");
    static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

    private IrisFrames() {
    }

    /** The training file in {@code partitions} partitions, its rows in file order. */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, int partitions) {
        org.apache.spark.sql.Dataset<Row> read = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(TRAIN.toString());
        // coalesce of one file's single partition keeps the order; spread it evenly without a shuffle.
        List<Row> rows = read.collectAsList();
        return spark.createDataFrame(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
                read.schema());
    }

    /**
     * The training file's rows in a seeded random order, in {@code partitions} partitions. The file
     * lists the classes one after another, so its own order puts one class in each of three
     * partitions; parameter averaging needs each partition to be a fair sample.
     */
    static org.apache.spark.sql.Dataset<Row> shuffled(SparkSession spark, int partitions, long seed) {
        org.apache.spark.sql.Dataset<Row> read = frame(spark, 1);
        List<Row> rows = new java.util.ArrayList<>(read.collectAsList());
        java.util.Collections.shuffle(rows, new java.util.Random(seed));
        return spark.createDataFrame(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
                read.schema());
    }

    /** The same rows, in partition order, as local data with one-hot targets of {@code CLASSES}. */
    static Dataset local(org.apache.spark.sql.Dataset<Row> frame, DType dtype, int targetWidth) {
        List<Row> rows = frame.collectAsList();
        int n = rows.size();
        double[] x = new double[n * 4];
        double[] y = new double[n * targetWidth];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = ((Number) rows.get(r).get(c)).doubleValue();
            }
            int k = CLASSES.indexOf(rows.get(r).getString(4));
            if (targetWidth == 1) {
                y[r] = k;
            } else {
                y[r * targetWidth + k] = 1;
            }
        }
        return new Dataset(Tensor.of(dtype, Shape.of(n, 4), x), Tensor.of(dtype, Shape.of(n, targetWidth), y));
    }
}
