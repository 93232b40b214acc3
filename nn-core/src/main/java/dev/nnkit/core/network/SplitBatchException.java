package dev.nnkit.core.network;

/**
 * A stage cannot train on part of a batch split over machines (nn-spark's synchronous training):
 * what it computes for a row depends on the other rows in a way the split cannot reproduce. It is
 * the same on every attempt, so a distributed trainer reports it instead of retrying.
 */
public final class SplitBatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SplitBatchException(String message) {
        super(message);
    }
}
