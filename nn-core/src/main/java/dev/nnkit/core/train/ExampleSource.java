package dev.nnkit.core.train;

/**
 * The examples a {@link Trainer} steps through, wherever they are: in memory (a {@link Dataset}) or
 * spread over a cluster (nn-spark). The trainer owns the loop (the epoch's order, schedules,
 * checkpoints, stopping); a source owns forward and back propagation of one batch.
 *
 * <p>Each epoch the trainer orders the examples {@code 0 … size()-1} (shuffled from its seed or
 * not) and hands consecutive slices of that order to {@link #gradients}. A source that computes
 * the same gradients of the same examples therefore trains to the same weights as local data.
 */
public interface ExampleSource {
    /** How many examples there are. */
    int size();

    /**
     * Forward and back propagation of the examples {@code order[from] … order[from + size - 1]}:
     * afterwards every parameter's gradient holds ∂C/∂θ of the batch loss C, reduced over these
     * examples by the trainer's reduction, without weight penalties (the trainer adds them and
     * clips).
     *
     * @return C
     */
    double gradients(int[] order, int from, int size);

    /**
     * The exception for a non-finite batch loss {@code c} returned by the last {@link #gradients}
     * call, saying what went non-finite and where.
     */
    TrainingDivergedException diverged(double c, int epoch, long step);
}
