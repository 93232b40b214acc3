package dev.nnkit.io.csv;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * A table read from CSV: numeric feature columns and one target column, either numeric or class
 * labels mapped to indices in {@link #classes()} order. Immutable apart from the tensor it holds.
 *
 * @param featureNames header names of the feature columns, in order
 * @param targetName header name of the target column
 * @param features [rows × features]
 * @param target one value per row: the number itself, or the class index
 * @param classes the class labels by index; empty when the target is numeric
 */
public record LabeledTable(List<String> featureNames, String targetName, Tensor features, double[] target,
                           List<String> classes) {
    public LabeledTable {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
    }

    public int rows() {
        return target.length;
    }

    /**
     * The targets as a loss wants them: one column (the value or class index) when
     * {@code width} is 1, one-hot rows when {@code width} is the number of classes.
     *
     * @throws IllegalArgumentException when the width fits neither
     */
    public Tensor targets(int width, DType dtype) {
        if (width == 1) {
            return Tensor.of(dtype, Shape.of(rows(), 1), target);
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("The loss wants " + width + " target columns (one per output), but column '"
                    + targetName + "' holds one number per row. If it holds class codes, say \"labels\": \"classes\" in"
                    + " \"data\" (a classification loss reads whole numbers as classes unless told \"numbers\"); for a"
                    + " regression on this column, give the last layer 1 unit.");
        }
        if (width != classes.size()) {
            throw new IllegalArgumentException("The loss wants " + width + " target columns (one per output), but column '"
                    + targetName + "' holds " + classes.size() + " classes " + classes + ". Give the last layer "
                    + classes.size() + " units, one per class.");
        }
        Tensor t = Tensor.zeros(dtype, Shape.of(rows(), width));
        for (int r = 0; r < rows(); r++) {
            t.set(r * width + (int) target[r], 1);
        }
        return t;
    }
}
