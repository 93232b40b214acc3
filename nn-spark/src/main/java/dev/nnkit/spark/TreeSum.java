package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums the partitions' {@link PartialSum}s in a tree, as Spark's {@code treeAggregate} does, so the
 * driver receives a few sums instead of one per partition. Unlike {@code treeAggregate}, every sum
 * is added in partition order, never in the order tasks happen to finish: the same data and
 * partitioning give the same bits on every run and after any retry.
 */
final class TreeSum {
    private TreeSum() {
    }

    /**
     * The sum of {@code parts} (at most one per partition of {@code partitions}), in float64.
     *
     * @param depth levels of the tree, ≥ 1: 1 sends every partition's sum to the driver
     */
    static PartialSum sum(JavaRDD<PartialSum> parts, int partitions, int depth, DType dtype) {
        int fanIn = Math.max(2, (int) Math.ceil(Math.pow(partitions, 1.0 / depth)));
        JavaRDD<PartialSum> level = parts;
        int groups = partitions;
        for (int d = 1; d < depth && groups > fanIn; d++) {
            int scale = fanIn;
            groups = (groups + fanIn - 1) / fanIn;
            level = level.mapToPair(p -> new Tuple2<>(p.index() / scale, p))
                    .groupByKey(groups)
                    .map(group -> PartialSum.combine(group._1(), group._2(), dtype));
        }
        List<PartialSum> top = level.collect();
        return PartialSum.combine(0, top, DType.FLOAT64);
    }
}
