package dev.nnkit.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** SparkTrain's data files: read with Spark's CSV or Parquet reader, after checking they exist. */
final class DataFiles {
    private final SparkSession spark;
    private final Optional<String> format;

    /** @param format csv or parquet for every file; empty: from each file's name */
    DataFiles(SparkSession spark, Optional<String> format) {
        this.spark = spark;
        this.format = format;
    }

    /**
     * The file (or folder, or glob) at {@code path}, with a header row for CSV.
     *
     * @param what "training data" or "validation data", for messages
     * @throws SparkTrainingException when nothing is there, or the file has no data rows
     */
    Dataset<Row> read(String path, String what) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] found = fs.globStatus(p);
            if (found == null || found.length == 0) {
                throw new SparkTrainingException("no such file: " + path + " (the " + what + ").");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look for the " + what + " at " + path + ": " + e.getMessage(), e);
        }
        String f = format.orElse(path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv");
        Dataset<Row> frame = f.equals("csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(path)
                : spark.read().parquet(path);
        if (frame.isEmpty()) {
            throw new SparkTrainingException(what + " " + path + ": the file has a header but no data rows.");
        }
        return frame;
    }

    /** What {@code step} returns, its data errors prefixed with where the data came from. */
    static <T> T explained(String where, Supplier<T> step) {
        try {
            return step.get();
        } catch (SparkTrainingException e) {
            throw new SparkTrainingException(where + ": " + e.getMessage());
        }
    }
}
