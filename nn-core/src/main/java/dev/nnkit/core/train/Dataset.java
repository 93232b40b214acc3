package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Tensor;

/**
 * Examples in memory: features [n × inputs] and targets [n × targetWidth] (one column of class
 * indices for sparse losses). Immutable reference holder; the tensors themselves are not copied.
 *
 * @param features one row per example
 * @param targets one row per example
 */
public record Dataset(Tensor features, Tensor targets) {
    public Dataset {
        if (features.shape().rank() != 2 || targets.shape().rank() != 2) {
            throw new IllegalArgumentException("features and targets must be matrices; got " + features.shape()
                    + " and " + targets.shape() + ".");
        }
        if (features.shape().rows() != targets.shape().rows()) {
            throw new IllegalArgumentException("features have " + features.shape().rows() + " rows but targets have "
                    + targets.shape().rows() + "; every example needs one target row.");
        }
    }

    /** Number of examples. */
    public int size() {
        return features.shape().rows();
    }
}
