package dev.nnkit.core.train;

import java.util.List;
import java.util.Map;

/**
 * Scores the network after each epoch (a validation loss, an accuracy). The trainer adds the
 * scores to the run's {@link dev.nnkit.api.schedule.EpochHistory}, where a schedule and
 * {@link EarlyStopping} can watch them, hands them to listeners in
 * {@link TrainingListener.EpochEvent#scores()}, and keeps them in checkpoints, so a resumed run
 * sees the same history. Called on the training thread, in inference mode.
 */
public interface EpochScorer {

    /** The names of the scores {@link #score} returns, in order. */
    List<String> names();

    /** This epoch's scores, one per name (NaN when a score cannot be computed). */
    Map<String, Double> score(Trainer trainer);
}
