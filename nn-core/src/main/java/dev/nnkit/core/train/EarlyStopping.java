package dev.nnkit.core.train;

import dev.nnkit.api.schedule.EpochHistory;
import java.util.List;

/**
 * Stops training when a watched score has not improved for {@code patience} epochs, as Keras's
 * {@code EarlyStopping} callback: a value improves on the best so far when it is lower by more than
 * {@code minDelta} (a loss) or higher by more than {@code minDelta} (an accuracy or R²); each
 * epoch without improvement counts one, and training stops after an epoch without improvement once
 * the count reaches {@code patience}. A NaN value never improves. Decided from the score's history alone, so a
 * resumed run decides as an uninterrupted one. Immutable.
 *
 * @param monitor the score watched: {@code validationLoss} (the usual), {@code validationAccuracy},
 *     {@code validationR2}, {@code trainLoss}, {@code trainAccuracy} or {@code trainR2}
 * @param patience epochs without improvement tolerated, ≥ 0 (0: stop at the first)
 * @param minDelta the smallest change that counts as an improvement, ≥ 0
 * @param restoreBest whether the network ends with the weights of its best epoch (Keras restores
 *     them only when it stops early; nnkit whenever training ends, except on a signal)
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {
    public EarlyStopping {
        if (!EpochHistory.SCORES.contains(monitor)) {
            throw new IllegalArgumentException("monitor must be one of " + String.join(", ", EpochHistory.SCORES)
                    + "; got \"" + monitor + "\".");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0; got " + patience + ".");
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be finite and ≥ 0; got " + minDelta + ".");
        }
    }

    /** Watch the validation loss with patience 10, any decrease counting, and restore the best weights. */
    public static EarlyStopping defaults() {
        return new EarlyStopping("validationLoss", 10, 0, true);
    }

    /**
     * Where a run stands after the epochs of {@code values}.
     *
     * @param bestEpoch the epoch (from 1) of the best value; 0 when no value improved (all NaN)
     * @param best the best value; NaN when none
     * @param stop whether training stops now
     */
    public record Verdict(int bestEpoch, double best, boolean stop) {
    }

    /** Replays the watched score's values, epoch by epoch. */
    public Verdict judge(List<Double> values) {
        boolean higher = EpochHistory.higherIsBetter(monitor);
        double best = higher ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int wait = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            wait++;
            if (higher ? v - minDelta > best : v + minDelta < best) {
                best = v;
                bestEpoch = i + 1;
                wait = 0;
            }
        }
        // As Keras: an epoch that improves never stops the run, even with patience 0.
        return new Verdict(bestEpoch, bestEpoch == 0 ? Double.NaN : best, wait > 0 && wait >= patience);
    }
}
