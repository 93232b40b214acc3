package dev.nnkit.spark;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.train.ExampleSource;
import dev.nnkit.core.train.TrainingDivergedException;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel gradients for the driver's trainer: each step the driver's weights are
 * broadcast, every partition holding some of the batch's examples computes its share of the
 * batch's loss and gradient with nnkit's engine (a mean divided by the whole batch's size), and a
 * {@link TreeSum} adds the shares up. The trainer then applies penalties, clipping and the
 * optimizer as it does for local data.
 */
final class StepGradients implements ExampleSource {
    private final JavaSparkContext sc;
    private final SparkExamples data;
    private final Broadcast<WorkerSpec> spec;
    private final Network network;
    private final int depth;
    private int nonFinitePartition = -1;

    StepGradients(JavaSparkContext sc, SparkExamples data, Broadcast<WorkerSpec> spec, Network network, int depth) {
        this.sc = sc;
        this.data = data;
        this.spec = spec;
        this.network = network;
        this.depth = depth;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public double gradients(int[] order, int from, int size) {
        int[] batch = Arrays.copyOfRange(order, from, from + size);
        Broadcast<FlatArray> weights = sc.broadcast(FlatArray.read(network.parameters(), network.dtype(), false));
        PartialSum total;
        try {
            JavaRDD<PartialSum> parts = data.blocks.mapPartitionsWithIndex(new StepTask(spec, weights, data.firsts, data.checksums, batch), true);
            total = SparkJobs.run(() -> TreeSum.sum(parts, data.partitions(), depth, network.dtype()));
        } finally {
            weights.destroy();
        }
        if (total.failure() != null) {
            throw new SparkTrainingException(total.failure());
        }
        if (total.rows() != size) {
            throw new IllegalStateException("The partitions summed " + total.rows() + " examples of a batch of " + size
                    + "; the cached examples no longer match the count taken when they were read.");
        }
        int at = 0;
        for (NamedParameter p : network.parameters()) {
            Tensor g = p.parameter().gradient();
            for (int i = 0; i < g.size(); i++) {
                g.set(i, total.gradient().f64[at++]);
            }
        }
        nonFinitePartition = total.nonFinitePartition();
        return total.loss();
    }

    @Override
    public TrainingDivergedException diverged(double c, int epoch, long step) {
        return new TrainingDivergedException("Training diverged: the loss is " + c + " at epoch " + epoch + ", step " + step
                + (nonFinitePartition >= 0 ? "; partition " + nonFinitePartition + "'s examples first gave a non-finite loss"
                : "; every partition's loss was finite, so their sum overflowed")
                + ". Try a lower learning rate, standardized inputs, or a loss computed from logits.", epoch, step);
    }
}
