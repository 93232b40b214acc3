package dev.nnkit.spark;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which columns of a Spark DataFrame hold the examples: the features (named numeric columns, or one
 * column of vectors or numeric arrays), the label, and optionally a weight per example.
 *
 * <pre>{@code
 * FrameColumns.features("sepal_length", "sepal_width", "petal_length", "petal_width").label("species")
 * FrameColumns.vector("features").label("label").weight("w")
 * }</pre>
 *
 * @param features numeric feature columns, in the network's input order; empty with a vector column
 * @param vector a column of Spark ML vectors or numeric arrays holding all features, or empty
 * @param label the label column: class names (strings), class indices, or numbers for regression
 * @param weight a numeric column of example weights (finite, ≥ 0), or empty
 * @param classes the class names in output order; empty: the label column's distinct values,
 *     sorted (strings), or {@code 0 … k-1} (class indices)
 */
public record FrameColumns(List<String> features, Optional<String> vector, String label, Optional<String> weight,
                           List<String> classes) {
    public FrameColumns {
        features = List.copyOf(features);
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(weight, "weight");
        classes = List.copyOf(classes);
        if (features.isEmpty() == vector.isEmpty()) {
            throw new IllegalArgumentException("Give the features either as named columns or as one vector column, not "
                    + (features.isEmpty() ? "neither" : "both") + ".");
        }
    }

    /** Features in these numeric columns; the label comes next ({@link Features#label}). */
    public static Features features(String... columns) {
        return new Features(List.of(columns), Optional.empty());
    }

    /** Features in one column of Spark ML vectors or numeric arrays. */
    public static Features vector(String column) {
        return new Features(List.of(), Optional.of(column));
    }

    /** The features chosen, waiting for the label column. */
    public record Features(List<String> columns, Optional<String> vector) {
        public FrameColumns label(String column) {
            return new FrameColumns(columns, vector, column, Optional.empty(), List.of());
        }
    }

    /** The same columns with a weight column. */
    public FrameColumns weight(String column) {
        return new FrameColumns(features, vector, label, Optional.of(column), classes);
    }

    /** The same columns with the class names given, in output order. */
    public FrameColumns classes(List<String> names) {
        return new FrameColumns(features, vector, label, weight, names);
    }
}
