package dev.nnkit.core.train;

/**
 * The loss became NaN or infinite. The message says where (epoch, step) and which stage first
 * produced a non-finite value, so the fix (a lower learning rate, scaled inputs) can be aimed.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final long iteration;

    public TrainingDivergedException(String message, int epoch, long iteration) {
        super(message);
        this.epoch = epoch;
        this.iteration = iteration;
    }

    public int epoch() {
        return epoch;
    }

    public long iteration() {
        return iteration;
    }
}
