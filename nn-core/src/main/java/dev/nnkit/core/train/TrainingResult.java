package dev.nnkit.core.train;

import dev.nnkit.api.schedule.EpochHistory;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}. Immutable.
 *
 * @param reason why training stopped
 * @param epochs epochs started (the last may be partial when stopped by iterations)
 * @param iterations optimizer steps taken
 * @param epochLosses each epoch's mean training loss, in order
 * @param history every score of every finished epoch, the training loss included
 * @param restoredEpoch the epoch whose weights the network was given back at the end
 *     ({@link EarlyStopping#restoreBest()}); 0 when it keeps its last weights
 */
public record TrainingResult(StopReason reason, int epochs, long iterations, List<Double> epochLosses,
                             EpochHistory history, int restoredEpoch) {
    public TrainingResult {
        epochLosses = List.copyOf(epochLosses);
    }

    /** A result with no scores but the training loss, and the last weights kept. */
    public TrainingResult(StopReason reason, int epochs, long iterations, List<Double> epochLosses) {
        this(reason, epochs, iterations, epochLosses, EpochHistory.ofTrainLoss(epochLosses), 0);
    }

    /** The last epoch's mean training loss. */
    public double finalLoss() {
        return epochLosses.isEmpty() ? Double.NaN : epochLosses.get(epochLosses.size() - 1);
    }
}
