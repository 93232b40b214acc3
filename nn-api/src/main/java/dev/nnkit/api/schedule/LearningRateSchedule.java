package dev.nnkit.api.schedule;

import java.util.List;

/**
 * The learning rate for each epoch, as a pure function of the optimizer's base rate, the epoch
 * and the losses of the epochs before it, so a resumed run needs no schedule state. Epoch-based
 * like {@code torch.optim.lr_scheduler} stepped once per epoch: {@code epoch} 0 is the first.
 * Examples: step decay η·γ^⌊e/s⌋; cosine annealing η_min + (η − η_min)(1 + cos(πe/T))/2.
 *
 * <p>Implementations must be stateless and thread-safe. No argument is {@code null}.
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
}
