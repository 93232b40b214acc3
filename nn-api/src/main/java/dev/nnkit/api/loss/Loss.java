package dev.nnkit.api.loss;

/**
 * A loss function, written for one sample: it returns the sample's loss ℓ(ŷ, y) and writes
 * ∂ℓ/∂ŷ. The engine applies the reduction (mean over the batch by default, as in
 * {@code torch.nn}: C = 1/n Σ ℓ) and any sample weights, once, for every loss.
 *
 * <p>A loss never sees the activation that produced ŷ. Losses "from logits" fuse softmax or
 * sigmoid into the loss for numerical stability; they say so through
 * {@link #predictionActivation()}, which inference applies to turn outputs into predictions.
 *
 * <p>Arrays are scratch buffers owned by the engine, in {@code double} whatever the tensors'
 * dtype; do not keep them. Instances need not be thread-safe. No argument is {@code null}.
 */
public interface Loss {

    /**
     * The loss of one sample.
     *
     * @param prediction the network's output row ŷ (length = outputs)
     * @param target the target row y (length = {@link #targetWidth(int)})
     * @param gradient receives ∂ℓ/∂ŷ (length = outputs), every element written
     * @return ℓ(ŷ, y)
     */
    double sampleLoss(double[] prediction, double[] target, double[] gradient);

    /**
     * Columns of a target row for a network with {@code outputs} outputs: the same number by
     * default; 1 for losses that take a class index.
     */
    default int targetWidth(int outputs) {
        return outputs;
    }

    /**
     * Id of the activation that turns the network's outputs into predictions at inference:
     * {@code identity} by default, {@code softmax} or {@code sigmoid} for losses from logits.
     */
    default String predictionActivation() {
        return "identity";
    }

    /**
     * Whether the targets are classes (cross-entropies, hinge losses): then a data column of whole
     * numbers such as 0, 1, 2 is read as class labels, so that predictions are named by class,
     * unless the config says {@code "labels": "numbers"}. {@code false} by default (regression).
     */
    default boolean classifies() {
        return false;
    }
}
