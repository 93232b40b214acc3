package dev.nnkit.api.schedule;

import java.util.List;

/**
 * The learning rate for each epoch, as a pure function of the optimizer's base rate, the epoch
 * and the losses of the epochs before it, so a resumed run needs no schedule state. Epoch-based
 * like {@code torch.optim.lr_scheduler} stepped once per epoch: {@code epoch} 0 is the first.
 * Examples: step decay η·γ^⌊e/s⌋; cosine annealing η_min + (η − η_min)(1 + cos(πe/T))/2.
 *
 * <p>Implementations must be stateless and thread-safe. No argument is {@code null}. A schedule
 * that watches a validation score instead of the training loss overrides
 * {@link #learningRate(double, int, EpochHistory)} and {@link #monitor()}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param baseRate the optimizer's configured learning rate η
     * @param epoch the epoch about to start, from 0
     * @param epochLosses the mean training loss of each finished epoch (size = epoch)
     * @return the learning rate for this epoch, finite and ≥ 0
     */
    double learningRate(double baseRate, int epoch, List<Double> epochLosses);

    /**
     * The learning rate for this epoch from every score of the finished epochs, for schedules that
     * watch something other than the training loss (such as {@code reduce-on-plateau} with a
     * {@code monitor}). The trainer calls this one; by default it passes the training losses to
     * {@link #learningRate(double, int, List)}.
     *
     * @param history the finished epochs' scores, each series of length {@code epoch}
     */
    default double learningRate(double baseRate, int epoch, EpochHistory history) {
        return learningRate(baseRate, epoch, history.trainLoss());
    }

    /**
     * The score this schedule watches, {@link EpochHistory#TRAIN_LOSS} by default. A trainer refuses
     * to start when the run does not score it (a validation score without validation data).
     */
    default String monitor() {
        return EpochHistory.TRAIN_LOSS;
    }
}
