package dev.nnkit.optimizers;

import java.util.List;

/** Settings of the built-in learning-rate schedules, with {@code torch.optim.lr_scheduler}'s defaults. */
public final class ScheduleConfigs {
    private ScheduleConfigs() {
    }

    /**
     * {@code step}: η·γ^⌊e/stepSize⌋ ({@code StepLR}).
     *
     * @param stepSize epochs between decays, ≥ 1 (required)
     * @param gamma decay factor, finite and &gt; 0 (default 0.1)
     */
    public record Step(int stepSize, double gamma) {
        public Step {
            positive("stepSize", stepSize);
            positive("gamma", gamma);
        }
    }

    /**
     * {@code multi-step}: η·γ^(number of milestones ≤ e) ({@code MultiStepLR}).
     *
     * @param milestones epochs at which to decay, increasing (required)
     * @param gamma decay factor, finite and &gt; 0 (default 0.1)
     */
    public record MultiStep(List<Integer> milestones, double gamma) {
        public MultiStep {
            milestones = List.copyOf(milestones);
            for (int i = 1; i < milestones.size(); i++) {
                if (milestones.get(i) <= milestones.get(i - 1)) {
                    throw new IllegalArgumentException("milestones must increase; got " + milestones + ".");
                }
            }
            positive("gamma", gamma);
        }
    }

    /**
     * {@code exponential}: η·γ^e ({@code ExponentialLR}).
     *
     * @param gamma decay factor per epoch, finite and &gt; 0 (required)
     */
    public record Exponential(double gamma) {
        public Exponential {
            positive("gamma", gamma);
        }
    }

    /**
     * {@code cosine}: η_min + (η − η_min)(1 + cos(π e / T))/2 ({@code CosineAnnealingLR}).
     *
     * @param tMax half-period T in epochs, ≥ 1 (required)
     * @param minLearningRate η_min ≥ 0 (default 0)
     */
    public record Cosine(int tMax, double minLearningRate) {
        public Cosine {
            positive("tMax", tMax);
            nonNegative("minLearningRate", minLearningRate);
        }
    }

    /**
     * {@code linear-warmup}: η·(s + (f − s)·min(e, n)/n) ({@code LinearLR}).
     *
     * @param startFactor s in (0, 1] (default 1/3)
     * @param endFactor f in [0, 1] (default 1)
     * @param totalEpochs n ≥ 1 epochs to go from s to f (default 5)
     */
    public record LinearWarmup(double startFactor, double endFactor, int totalEpochs) {
        public LinearWarmup {
            if (!(startFactor > 0 && startFactor <= 1)) {
                throw new IllegalArgumentException("startFactor must be in (0, 1]; got " + startFactor + ".");
            }
            if (!(endFactor >= 0 && endFactor <= 1)) {
                throw new IllegalArgumentException("endFactor must be in [0, 1]; got " + endFactor + ".");
            }
            positive("totalEpochs", totalEpochs);
        }
    }

    /**
     * {@code reduce-on-plateau}: multiply the rate by {@code factor} when the watched score has not
     * improved by a relative {@code threshold} for more than {@code patience} epochs
     * ({@code ReduceLROnPlateau} with a relative threshold; mode min for a loss, max for an accuracy
     * or R²).
     *
     * @param factor in (0, 1) (default 0.1)
     * @param patience epochs without improvement tolerated, ≥ 0 (default 10)
     * @param threshold relative improvement that counts, ≥ 0 (default 1e-4)
     * @param cooldown epochs to wait after a reduction, ≥ 0 (default 0)
     * @param minLearningRate floor ≥ 0 (default 0)
     * @param monitor the score watched (default {@code trainLoss}; also {@code validationLoss},
     *     {@code validationAccuracy}, {@code validationR2}, {@code trainAccuracy}, {@code trainR2})
     */
    public record ReduceOnPlateau(double factor, int patience, double threshold, int cooldown, double minLearningRate,
                                  String monitor) {
        public ReduceOnPlateau {
            if (!dev.nnkit.api.schedule.EpochHistory.SCORES.contains(monitor)) {
                throw new IllegalArgumentException("monitor must be one of " + dev.nnkit.api.schedule.EpochHistory.SCORES
                        + "; got \"" + monitor + "\".");
            }
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("factor must be in (0, 1); got " + factor + ".");
            }
            nonNegative("patience", patience);
            nonNegative("threshold", threshold);
            nonNegative("cooldown", cooldown);
            nonNegative("minLearningRate", minLearningRate);
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0; got " + v + ".");
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0; got " + v + ".");
        }
    }
}
