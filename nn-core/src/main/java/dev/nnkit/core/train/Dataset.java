package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Tensor;

/**
 * Examples in memory: features [n, ...sample shape] ([n, features], or [n, 1, 28, 28] for
 * images), targets [n × targetWidth] (one column of class
 * indices for sparse losses) and optional sample weights (applied by the loss reduction:
 * C = 1/n Σ wᵢℓᵢ). Holds references; the tensors are not copied.
 *
 * @param features one row per example
 * @param targets one row per example
 * @param weights one finite weight ≥ 0 per example, or an empty array for unweighted examples
 */
public record Dataset(Tensor features, Tensor targets, double[] weights) {
    public Dataset {
        if (features.shape().rank() < 2 || targets.shape().rank() != 2) {
            throw new IllegalArgumentException("features must be [examples, ...sample shape] and targets a matrix"
                    + " [examples, columns]; got " + features.shape() + " and " + targets.shape() + ".");
        }
        if (features.shape().rows() != targets.shape().rows()) {
            throw new IllegalArgumentException("features have " + features.shape().rows() + " rows but targets have "
                    + targets.shape().rows() + "; every example needs one target row.");
        }
        if (weights.length != 0 && weights.length != features.shape().rows()) {
            throw new IllegalArgumentException("Got " + weights.length + " sample weights for "
                    + features.shape().rows() + " examples; give one per example or none.");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("Sample weight " + i + " is " + weights[i]
                        + "; weights must be finite and ≥ 0.");
            }
        }
    }

    /** Unweighted examples. */
    public Dataset(Tensor features, Tensor targets) {
        this(features, targets, new double[0]);
    }

    /** Number of examples. */
    public int size() {
        return features.shape().rows();
    }

    /** Whether the examples carry sample weights. */
    public boolean weighted() {
        return weights.length != 0;
    }
}
