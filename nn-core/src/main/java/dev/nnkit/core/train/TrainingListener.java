package dev.nnkit.core.train;

/**
 * Hears about training as it happens: progress bars, metrics files, tracing. Called on the
 * training thread; keep it quick. Both methods do nothing by default.
 */
public interface TrainingListener {

    /** After each optimizer step. */
    default void onBatchEnd(BatchEvent event) {
    }

    /** After each full epoch. */
    default void onEpochEnd(EpochEvent event) {
    }

    /**
     * A finished step.
     *
     * @param epoch epoch number, from 1
     * @param batch batch number within the epoch, from 1
     * @param batches batches per epoch
     * @param iteration optimizer steps so far, this one included
     * @param batchSize examples in this batch
     * @param loss this batch's reduced loss
     */
    record BatchEvent(int epoch, int batch, int batches, long iteration, int batchSize, double loss) {
    }

    /**
     * A finished epoch.
     *
     * @param epoch epoch number, from 1
     * @param loss mean training loss over the epoch's examples
     * @param iterations optimizer steps so far
     * @param seconds wall time the epoch took
     * @param learningRate the learning rate the epoch used
     * @param scores the epoch's scores by name: {@code trainLoss}, then those of the trainer's
     *     {@link EpochScorer}s
     */
    record EpochEvent(int epoch, double loss, long iterations, double seconds, double learningRate,
                      java.util.Map<String, Double> scores) {
        public EpochEvent {
            scores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scores));
        }

        /** An epoch scored by its training loss alone. */
        public EpochEvent(int epoch, double loss, long iterations, double seconds, double learningRate) {
            this(epoch, loss, iterations, seconds, learningRate,
                    java.util.Map.of(dev.nnkit.api.schedule.EpochHistory.TRAIN_LOSS, loss));
        }

        /** A score of this epoch; NaN when the run does not score it. */
        public double score(String name) {
            return scores.getOrDefault(name, Double.NaN);
        }
    }
}
