package dev.nnkit.core.train;

/**
 * How long and how to train: mini-batches, seeded shuffling and the seeds' three stopping
 * conditions (seed 003: a maximum number of iterations, the loss below a threshold, the loss
 * changing by less than a threshold). Loss conditions are checked on each epoch's mean training
 * loss. Immutable.
 *
 * @param batchSize examples per step, ≥ 1 (the last batch of an epoch may be smaller)
 * @param maxEpochs stop after this many epochs, ≥ 1
 * @param maxIterations stop after this many optimizer steps, ≥ 1 ({@code Long.MAX_VALUE}: no limit)
 * @param lossThreshold stop once an epoch's loss is below this; NaN (the default) turns it off
 * @param minLossChange stop once an epoch's loss differs from the previous one by less than this;
 *     NaN (the default) turns it off
 * @param shuffle whether to reshuffle the examples every epoch
 * @param seed the seed of every random draw: initial weights and shuffling
 */
public record TrainingOptions(int batchSize, int maxEpochs, long maxIterations, double lossThreshold,
                              double minLossChange, boolean shuffle, long seed) {
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
    }

    /** Batches of 32, 100 epochs, shuffled, seed 42, no loss-based stopping. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(32, 100, Long.MAX_VALUE, Double.NaN, Double.NaN, true, 42);
    }

    public TrainingOptions withBatchSize(int v) {
        return new TrainingOptions(v, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, seed);
    }

    public TrainingOptions withMaxEpochs(int v) {
        return new TrainingOptions(batchSize, v, maxIterations, lossThreshold, minLossChange, shuffle, seed);
    }

    public TrainingOptions withMaxIterations(long v) {
        return new TrainingOptions(batchSize, maxEpochs, v, lossThreshold, minLossChange, shuffle, seed);
    }

    public TrainingOptions withLossThreshold(double v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, v, minLossChange, shuffle, seed);
    }

    public TrainingOptions withMinLossChange(double v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, v, shuffle, seed);
    }

    public TrainingOptions withShuffle(boolean v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, v, seed);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(batchSize, maxEpochs, maxIterations, lossThreshold, minLossChange, shuffle, v);
    }
}
