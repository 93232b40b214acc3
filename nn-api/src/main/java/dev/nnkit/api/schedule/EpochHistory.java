package dev.nnkit.api.schedule;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scores of the finished epochs of a run, one series per name, each as long as the number of
 * finished epochs: {@code trainLoss} always; {@code validationLoss}, {@code validationAccuracy},
 * {@code trainAccuracy} (classification) or {@code validationR2}, {@code trainR2} (regression) when
 * the run scores them. A score that could not be computed for an epoch is NaN. Immutable.
 *
 * @param series each score's values, epoch by epoch
 */
public record EpochHistory(Map<String, List<Double>> series) {
    /** The name of the mean training loss, the one series every run has. */
    public static final String TRAIN_LOSS = "trainLoss";

    /** The scores nnkit's trainer can compute, by name. */
    public static final List<String> SCORES = List.of(TRAIN_LOSS, "trainAccuracy", "trainR2", "validationLoss",
            "validationAccuracy", "validationR2");

    public EpochHistory {
        java.util.Map<String, List<Double>> copy = new java.util.LinkedHashMap<>();
        series.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        series = java.util.Collections.unmodifiableMap(copy);
        if (!series.containsKey(TRAIN_LOSS)) {
            throw new IllegalArgumentException("An epoch history always holds trainLoss; got " + series.keySet() + ".");
        }
        int epochs = series.get(TRAIN_LOSS).size();
        series.forEach((name, values) -> {
            if (values.size() != epochs) {
                throw new IllegalArgumentException("Every series covers the same epochs: " + name + " has "
                        + values.size() + " values, trainLoss " + epochs + ".");
            }
        });
    }

    /** A history of the training loss alone. */
    public static EpochHistory ofTrainLoss(List<Double> losses) {
        return new EpochHistory(Map.of(TRAIN_LOSS, List.copyOf(losses)));
    }

    /** The mean training loss of each finished epoch. */
    public List<Double> trainLoss() {
        return series.get(TRAIN_LOSS);
    }

    /** The series called {@code name}, if the run scores it. */
    public Optional<List<Double>> values(String name) {
        return Optional.ofNullable(series.get(name));
    }

    /**
     * Whether a larger value of the score is better: accuracies and R² (names ending in
     * {@code Accuracy} or {@code R2}); for losses a smaller one is.
     */
    public static boolean higherIsBetter(String name) {
        return name.endsWith("Accuracy") || name.endsWith("R2");
    }
}
