package dev.nnkit.core.network;

/**
 * The rows of a batch that one machine holds, for a training pass over part of a batch split over
 * machines (nn-spark's synchronous training).
 *
 * @param places    for each row of the part, its row in the whole batch
 * @param passKeys  for each stage, the key of its row-addressed draws in this pass, drawn on the
 *                  machine that holds the streams ({@link Network#drawPassKeys})
 * @param wholeRows the rows of the whole batch
 * @param sums      how the parts add up what their rows contribute to whole-batch sums
 */
public record BatchPart(int[] places, long[] passKeys, int wholeRows, Sums sums) {

    /** Adds up the parts' contributions for {@code PassContext.sumOverBatch}. */
    @FunctionalInterface
    public interface Sums {
        /**
         * Replaces this part's contributions by the whole batch's sums, in place; or ends the pass
         * (by throwing) until they are known, to run it again then.
         */
        void sumOverBatch(double[] sums);
    }
}
