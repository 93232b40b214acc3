package dev.nnkit.optimizers.internal;

import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.optimizers.ScheduleConfigs;
import java.util.List;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} (relative threshold), replayed from the
 * history of the watched score each epoch so it keeps no state of its own. Mode min for a loss: a
 * value counts as better when it is below best·(1 − threshold); mode max for an accuracy or R²:
 * above best·(1 + threshold). After more than {@code patience} bad epochs the rate is multiplied by
 * {@code factor} (not below the floor) and a cooldown starts. A NaN value is a bad epoch.
 */
final class PlateauSchedule implements LearningRateSchedule {
    /** PyTorch ignores reductions smaller than this. */
    private static final double MIN_CHANGE = 1e-8;
    private final ScheduleConfigs.ReduceOnPlateau c;

    PlateauSchedule(ScheduleConfigs.ReduceOnPlateau config) {
        this.c = config;
    }

    @Override
    public String monitor() {
        return c.monitor();
    }

    @Override
    public double learningRate(double baseRate, int epoch, EpochHistory history) {
        return rate(baseRate, history.values(c.monitor()).orElseThrow(() -> new IllegalArgumentException(
                "reduce-on-plateau watches " + c.monitor() + ", which this run does not score; the history holds "
                        + history.series().keySet() + ".")));
    }

    @Override
    public double learningRate(double baseRate, int epoch, List<Double> epochLosses) {
        if (!c.monitor().equals(EpochHistory.TRAIN_LOSS)) {
            throw new IllegalArgumentException("reduce-on-plateau watches " + c.monitor()
                    + "; give it the run's whole EpochHistory, not the training losses.");
        }
        return rate(baseRate, epochLosses);
    }

    private double rate(double baseRate, List<Double> values) {
        boolean max = EpochHistory.higherIsBetter(c.monitor());
        double lr = baseRate;
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        int bad = 0;
        int cooldown = 0;
        for (double v : values) {
            if (max ? v > best * (1 + c.threshold()) : v < best * (1 - c.threshold())) {
                best = v;
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
