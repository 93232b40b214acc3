package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;

/**
 * How the executors turn a partition's rows into an {@link ExampleBlock}: which selected column is
 * what, how labels become targets, and the number type. The rows arrive with the feature column(s)
 * first, then the label, then the weight if any.
 *
 * @param names the selected columns' names, for messages
 * @param vector whether the features are one column of vectors or arrays
 * @param inputSize features per example
 * @param labels how the label column is read
 * @param classIndex class name to index, for {@link LabelKind#NAMES}
 * @param classCount classes, for class labels; 0 for numbers
 * @param targetWidth target values per example: 1 (the class index or the number) or one-hot
 * @param weighted whether a weight column follows the label
 * @param dtype the network's number type
 * @param shift per feature, subtracted before {@code scale} divides (a normalizer); empty for none
 * @param scale per feature; empty for none
 */
record RowFormat(List<String> names, boolean vector, int inputSize, LabelKind labels, HashMap<String, Integer> classIndex,
                 int classCount, int targetWidth, boolean weighted, DType dtype, double[] shift, double[] scale)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a label column is read. */
    enum LabelKind {
        /** class names (strings), mapped by {@code classIndex} */
        NAMES,
        /** class indices: whole numbers in {@code [0, classCount)} */
        INDICES,
        /** the numbers themselves (regression) */
        NUMBERS
    }

    /** Feature {@code c}'s value as the network sees it: x′ = (x − shift) / scale, as {@code Normalizer.apply}. */
    double feature(int c, double x) {
        return shift.length == 0 ? x : (x - shift[c]) / scale[c];
    }

    int labelColumn() {
        return vector ? 1 : inputSize;
    }
}
