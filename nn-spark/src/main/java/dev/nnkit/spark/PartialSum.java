package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The gradient sum and loss sum of some of a batch's examples: one partition's at first, then a
 * group of partitions' on their way up the tree of sums. A failure on an executor (a plugin its
 * class path lacks, say) travels as a message instead, so the driver can report it in a sentence
 * rather than as Spark's wall of executor stack traces.
 *
 * @param index the partition's number, then the group's: sums are always added in this order
 * @param rows examples summed
 * @param loss the sum of their (weighted) losses
 * @param gradient the sum of their gradients, every parameter end to end; null with a failure
 * @param nonFinitePartition the first partition whose loss sum was not finite, or -1
 * @param failure what went wrong on the executor, or null
 */
record PartialSum(int index, long rows, double loss, FlatArray gradient, int nonFinitePartition, String failure)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    static PartialSum failed(int partition, String failure) {
        return new PartialSum(partition, 0, Double.NaN, null, -1, failure);
    }

    /**
     * The sum of {@code parts} as the part {@code index} of the next level up, added in the order
     * of their indices whatever order Spark delivered them in: the same partitioning always gives
     * the same bits. Sums are kept in float64 and stored in the network's type.
     */
    static PartialSum combine(int index, Iterable<PartialSum> parts, DType dtype) {
        List<PartialSum> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(PartialSum::index));
        double[] sums = null;
        long rows = 0;
        double loss = 0;
        int nonFinite = -1;
        for (PartialSum p : sorted) {
            if (p.failure != null) {
                return failed(p.index, p.failure);
            }
            if (sums == null) {
                sums = new double[p.gradient.length()];
            }
            p.gradient.addTo(sums);
            rows += p.rows;
            loss += p.loss;
            if (nonFinite < 0) {
                nonFinite = p.nonFinitePartition;
            }
        }
        return new PartialSum(index, rows, loss, sums == null ? null : FlatArray.of(dtype, sums), nonFinite, null);
    }
}
