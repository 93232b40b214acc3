package dev.nnkit.core.train;

/** Why {@link Trainer#fit} returned. */
public enum StopReason {
    /** {@link TrainingOptions#maxEpochs()} epochs ran. */
    MAX_EPOCHS,
    /** {@link TrainingOptions#maxIterations()} optimizer steps ran. */
    MAX_ITERATIONS,
    /** An epoch's loss fell below {@link TrainingOptions#lossThreshold()}. */
    LOSS_BELOW_THRESHOLD,
    /** An epoch's loss changed by less than {@link TrainingOptions#minLossChange()}. */
    LOSS_CONVERGED,
    /** The score {@link EarlyStopping} watches stopped improving. */
    EARLY_STOPPED,
    /** {@link Trainer#requestStop()} was called (an interrupt); the last epoch may be partial. */
    STOPPED
}
