package dev.nnkit.core.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit}. Immutable.
 *
 * @param reason why training stopped
 * @param epochs epochs started (the last may be partial when stopped by iterations)
 * @param iterations optimizer steps taken
 * @param epochLosses each epoch's mean training loss, in order
 */
public record TrainingResult(StopReason reason, int epochs, long iterations, List<Double> epochLosses) {
    public TrainingResult {
        epochLosses = List.copyOf(epochLosses);
    }

    /** The last epoch's mean training loss. */
    public double finalLoss() {
        return epochLosses.isEmpty() ? Double.NaN : epochLosses.get(epochLosses.size() - 1);
    }
}
