package dev.nnkit.core.network;

import java.util.List;

/**
 * The {@link BatchPart.Sums} of a split batch computed in rounds: a pass runs with the
 * whole-batch sums found so far, and at the first sum not yet known it ends, handing back the
 * part's contribution ({@link Needed}). The coordinator adds up every part's, appends the total
 * and runs the pass again, until a pass runs to the end. Each round recomputes the pass from the
 * same weights, buffers and keys, so nothing carries over from an ended pass.
 */
public final class KnownSums implements BatchPart.Sums {
    private final List<double[]> known;
    private int next;

    /** @param known the whole-batch sums of the pass's first calls, in call order */
    public KnownSums(List<double[]> known) {
        this.known = known;
    }

    @Override
    public void sumOverBatch(double[] sums) {
        if (next == known.size()) {
            throw new Needed(sums.clone());
        }
        double[] total = known.get(next++);
        if (total.length != sums.length) {
            throw new IllegalStateException("Whole-batch sums of " + total.length + " values came back for a call that"
                    + " adds up " + sums.length + ": the parts' passes differ.");
        }
        System.arraycopy(total, 0, sums, 0, sums.length);
    }

    /** A pass ended at a sum not yet known, with this part's contribution to it. */
    public static final class Needed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final double[] contribution;

        Needed(double[] contribution) {
            super("A whole-batch sum is needed", null, false, false); // control flow: no stack trace
            this.contribution = contribution;
        }

        public double[] contribution() {
            return contribution.clone();
        }
    }
}
