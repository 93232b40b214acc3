package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The gradient sum and loss sum of some of a batch's examples: one partition's at first, then a
 * group of partitions' on their way up the tree of sums. A pass that stopped for a whole-batch sum
 * (batch norm's statistics, {@code PassContext.sumOverBatch}) carries its contribution to that sum
 * instead. A failure on an executor (a plugin its class path lacks, say) travels as a message, so
 * the driver can report it in a sentence rather than as Spark's wall of executor stack traces.
 *
 * @param index the partition's number, then the group's: sums are always added in this order
 * @param rows examples summed
 * @param loss the sum of their (weighted) losses
 * @param gradient the sum of their gradients, every parameter end to end; null with a failure or
 *                 a pending sum
 * @param buffers the network's buffers after the pass (batch norm's running statistics, the same on
 *                every partition), end to end; null with a failure or a pending sum
 * @param pending the contributions to the whole-batch sum the pass stopped at, one per partition
 *                in partition order (added on the driver, so the tree's shape changes no bit), or null
 * @param nonFinitePartition the first partition whose loss sum was not finite, or -1
 * @param failure what went wrong on the executor, or null
 */
record PartialSum(int index, long rows, double loss, FlatArray gradient, FlatArray buffers, double[][] pending,
                  int nonFinitePartition, String failure) implements Serializable {
    private static final long serialVersionUID = 2L;

    static PartialSum failed(int partition, String failure) {
        return new PartialSum(partition, 0, Double.NaN, null, null, null, -1, failure);
    }

    /** A pass that stopped for a whole-batch sum, with this partition's contribution to it. */
    static PartialSum pending(int partition, double[] contribution) {
        return new PartialSum(partition, 0, Double.NaN, null, null, new double[][] {contribution}, -1, null);
    }

    /**
     * The sum of {@code parts} as the part {@code index} of the next level up, added in the order
     * of their indices whatever order Spark delivered them in: the same partitioning always gives
     * the same bits. Sums are kept in float64 and stored in the network's type. The buffers come
     * from the first part; a part whose buffers differ is a failure (see {@link #differentBuffers}).
     */
    static PartialSum combine(int index, Iterable<PartialSum> parts, DType dtype, String[] bufferNames) {
        List<PartialSum> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(PartialSum::index));
        for (PartialSum p : sorted) {
            if (p.failure != null) {
                return failed(p.index, p.failure);
            }
        }
        if (!sorted.isEmpty() && sorted.get(0).pending != null) {
            return combinePending(index, sorted);
        }
        double[] sums = null;
        long rows = 0;
        double loss = 0;
        int nonFinite = -1;
        FlatArray buffers = null;
        for (PartialSum p : sorted) {
            if (p.pending != null) {
                return failed(p.index, "Partition " + p.index + " stopped for a whole-batch sum where partition "
                        + sorted.get(0).index + " did not: the partitions' passes differ.");
            }
            if (sums == null) {
                sums = new double[p.gradient.length()];
                buffers = p.buffers;
            } else if (buffers.firstDifference(p.buffers) >= 0) {
                return failed(p.index, differentBuffers(sorted.get(0).index, p.index,
                        bufferNames[buffers.firstDifference(p.buffers)]));
            }
            p.gradient.addTo(sums);
            rows += p.rows;
            loss += p.loss;
            if (nonFinite < 0) {
                nonFinite = p.nonFinitePartition;
            }
        }
        return new PartialSum(index, rows, loss, sums == null ? null : FlatArray.of(dtype, sums), buffers, null,
                nonFinite, null);
    }

    private static PartialSum combinePending(int index, List<PartialSum> sorted) {
        List<double[]> all = new ArrayList<>();
        for (PartialSum p : sorted) {
            if (p.pending == null || p.pending[0].length != sorted.get(0).pending[0].length) {
                return failed(p.index, "Partition " + p.index + " did not stop at the whole-batch sum where partition "
                        + sorted.get(0).index + " did: the partitions' passes differ.");
            }
            all.addAll(List.of(p.pending));
        }
        return new PartialSum(index, 0, Double.NaN, null, null, all.toArray(double[][]::new), -1, null);
    }

    /** The whole-batch sum of a pending result: the partitions' contributions added in partition order. */
    double[] pendingTotal() {
        double[] total = new double[pending[0].length];
        for (double[] contribution : pending) {
            for (int i = 0; i < total.length; i++) {
                total[i] += contribution[i];
            }
        }
        return total;
    }

    /**
     * Every partition starts from the driver's buffers and, for a layer that takes its statistics
     * over the whole batch, ends with the same ones: different buffers mean a layer kept statistics
     * of the rows one partition holds, which would train otherwise than locally.
     */
    static String differentBuffers(int first, int other, String buffer) {
        return "Partitions " + first + " and " + other + " ended the step with different buffers ('" + buffer
                + "'): its layer keeps"
                + " statistics of the rows each partition holds instead of the whole batch's, which synchronous training"
                + " cannot split. Such a layer must take its sums through PassContext.sumOverBatch; or train with"
                + " parameter averaging (averageEvery, --average-every).";
    }
}
