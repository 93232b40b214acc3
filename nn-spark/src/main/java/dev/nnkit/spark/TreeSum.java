package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums the partitions' results in a tree, as Spark's {@code treeAggregate} does, so the driver
 * receives a few sums instead of one per partition. Unlike {@code treeAggregate}, every sum is added
 * in partition order, never in the order tasks happen to finish: the same data and partitioning
 * give the same bits on every run and after any retry.
 */
final class TreeSum {
    private TreeSum() {
    }

    /** Adds parts into the part {@code index} of the next level up, in the order of their own indices. */
    @FunctionalInterface
    interface Combine<T> extends Serializable {
        T combine(int index, Iterable<T> parts);
    }

    /** A part's index: its partition's number, then its group's. */
    @FunctionalInterface
    interface Index<T> extends Serializable {
        int of(T part);
    }

    /**
     * The sum of {@code parts} (at most one per partition of {@code partitions}), in float64.
     *
     * @param bufferNames the name of the buffer each buffer value belongs to, for a failure's message
     * @param depth levels of the tree, ≥ 1: 1 sends every partition's sum to the driver
     */
    static PartialSum sum(JavaRDD<PartialSum> parts, int partitions, int depth, DType dtype, String[] bufferNames) {
        return PartialSum.combine(0, top(parts, partitions, depth, PartialSum::index,
                (index, group) -> PartialSum.combine(index, group, dtype, bufferNames)), DType.FLOAT64, bufferNames);
    }

    /**
     * The top level of the tree, collected on the driver: at most about partitions^(1/depth) sums,
     * for the caller to add last.
     */
    static <T> List<T> top(JavaRDD<T> parts, int partitions, int depth, Index<T> index, Combine<T> combine) {
        int fanIn = Math.max(2, (int) Math.ceil(Math.pow(partitions, 1.0 / depth)));
        JavaRDD<T> level = parts;
        int groups = partitions;
        for (int d = 1; d < depth && groups > fanIn; d++) {
            int scale = fanIn;
            groups = (groups + fanIn - 1) / fanIn;
            level = level.mapToPair(p -> new Tuple2<>(index.of(p) / scale, p))
                    .groupByKey(groups)
                    .map(group -> combine.combine(group._1(), group._2()));
        }
        return level.collect();
    }
}
