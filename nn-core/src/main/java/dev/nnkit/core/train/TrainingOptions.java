package dev.nnkit.core.train;

/**
 * How long and how to train: mini-batches, seeded shuffling, the seeds' three stopping
 * conditions (seed 003: a maximum number of iterations, the loss below a threshold, the loss
 * changing by less than a threshold), gradient clipping and weight penalties. Loss conditions are
 * checked on each epoch's mean training loss. Immutable.
 *
 * @param batchSize examples per step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param maxEpochs stop after this many epochs, ≥ 1
 * @param maxIterations stop after this many optimizer steps, ≥ 1 ({@code Long.MAX_VALUE}: no limit)
 * @param lossThreshold stop once an epoch's loss is below this; NaN (the default) turns it off
 * @param minLossChange stop once an epoch's loss differs from the previous one by less than this;
 *     NaN (the default) turns it off
 * @param shuffle whether to reshuffle the examples every epoch
 * @param seed the seed of every random draw: initial weights and shuffling
 * @param clipNorm rescale all gradients together when their global L2 norm exceeds this, as
 *     {@code torch.nn.utils.clip_grad_norm_}; NaN (the default) turns it off
 * @param l1 λ₁ ≥ 0: adds λ₁ Σ|w| over every weight matrix to the loss (default 0)
 * @param l2 λ₂ ≥ 0: adds λ₂ Σ w² over every weight matrix to the loss (default 0)
 */
public record TrainingOptions(int batchSize, int maxEpochs, long maxIterations, double lossThreshold,
                              double minLossChange, boolean shuffle, long seed, double clipNorm, double l1, double l2) {
    public TrainingOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1; got " + batchSize + ".");
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be at least 1; got " + maxEpochs + ".");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1; got " + maxIterations + ".");
        }
        if (Double.isInfinite(lossThreshold)) {
            throw new IllegalArgumentException("lossThreshold must be finite or NaN (off); got " + lossThreshold + ".");
        }
        if (minLossChange < 0 || Double.isInfinite(minLossChange)) {
            throw new IllegalArgumentException("minLossChange must be finite and ≥ 0, or NaN (off); got "
                    + minLossChange + ".");
        }
        if (clipNorm <= 0 || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be finite and > 0, or NaN (off); got " + clipNorm + ".");
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("l1 must be finite and ≥ 0; got " + l1 + ".");
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be finite and ≥ 0; got " + l2 + ".");
        }
    }

    /** Batches of 32, 100 epochs, shuffled, seed 42, no loss-based stopping, no clipping or penalty. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(32, 100, Long.MAX_VALUE, Double.NaN, Double.NaN, true, 42, Double.NaN, 0, 0);
    }

    public TrainingOptions withBatchSize(int v) {
        return new TrainingOptions(v, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withMaxEpochs(int v) {
        return new TrainingOptions(batchSize, v, maxIterations, lossThreshold, minLossChange, shuffle, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withMaxIterations(long v) {
        return new TrainingOptions(batchSize, maxEpochs, v, lossThreshold, minLossChange, shuffle, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withLossThreshold(double v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, v, minLossChange, shuffle, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withMinLossChange(double v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, v, shuffle, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withShuffle(boolean v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, v, seed, clipNorm, l1, l2);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, v, clipNorm, l1, l2);
    }

    public TrainingOptions withClipNorm(double v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, seed, v, l1, l2);
    }

    public TrainingOptions withPenalties(double newL1, double newL2) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, seed,
                clipNorm, newL1, newL2);
    }
}
