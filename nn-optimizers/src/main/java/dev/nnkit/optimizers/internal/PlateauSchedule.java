package dev.nnkit.optimizers.internal;

import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.optimizers.ScheduleConfigs;
import java.util.List;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} (mode min, relative threshold), replayed from
 * the loss history each epoch so it keeps no state of its own: a loss counts as better when it is
 * below best·(1 − threshold); after more than {@code patience} bad epochs the rate is multiplied by
 * {@code factor} (not below the floor) and a cooldown starts.
 */
final class PlateauSchedule implements LearningRateSchedule {
    /** PyTorch ignores reductions smaller than this. */
    private static final double MIN_CHANGE = 1e-8;
    private final ScheduleConfigs.ReduceOnPlateau c;

    PlateauSchedule(ScheduleConfigs.ReduceOnPlateau config) {
        this.c = config;
    }

    @Override
    public double learningRate(double baseRate, int epoch, List<Double> epochLosses) {
        double lr = baseRate;
        double best = Double.POSITIVE_INFINITY;
        int bad = 0;
        int cooldown = 0;
        for (double loss : epochLosses) {
            if (loss < best * (1 - c.threshold())) {
                best = loss;
                bad = 0;
            } else {
                bad++;
            }
            if (cooldown > 0) {
                cooldown--;
                bad = 0;
            }
            if (bad > c.patience()) {
                double reduced = Math.max(lr * c.factor(), c.minLearningRate());
                if (lr - reduced > MIN_CHANGE) {
                    lr = reduced;
                }
                cooldown = c.cooldown();
                bad = 0;
            }
        }
        return lr;
    }
}
