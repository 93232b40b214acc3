package dev.nnkit.spark;

/**
 * Training on Spark cannot go on: a column that is not numeric, a label outside the classes, a
 * plugin the executors lack, an empty dataset. The message names the column, partition, row or
 * plugin, and the fix.
 */
public final class SparkTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SparkTrainingException(String message) {
        super(message);
    }
}
